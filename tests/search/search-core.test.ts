/**
 * Search in the core: the index follows what happens to messages — a reply is found once it
 * ends (not while it streams), an edit's new sibling at once, deleted subtrees and
 * conversations never again, an import as it lands — and a start reads the stored history in
 * the background, answering meanwhile from what it has.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message, MessageDeltaEvent, SendReceipt } from '../../src/shared/protocol';
import { Search } from '../../src/worker/search/search';
import { EventBus } from '../../src/worker/session/event-bus';
import { Repository } from '../../src/worker/storage/repository';
import { fixture } from '../data-transfer/import-fixtures';
import { makeHarness, type Harness } from '../session/harness';
import { makeConversation, makeMessage, uniqueDatabaseName } from '../storage/helpers';

let harness: Harness | undefined;
const repositories: Repository[] = [];
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  repositories.splice(0).forEach((repository) => repository.close());
});

function receipt(result: { ok: true; value: SendReceipt } | { ok: false; error: { message: string } }): SendReceipt {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function found(query: string): Promise<string[]> {
  const results = await harness!.core.search.search(query);
  return results.hits.map((hit) => hit.messageId);
}

describe('search follows the conversations', () => {
  it('finds a question at once and its reply only once the reply has ended', async () => {
    harness = await makeHarness();
    // Slow enough that the reply is surely still streaming when its first words are searched for.
    const id = await harness.conversation('mock-slow:tokens=50:delay=200');
    const sent = receipt(await harness.core.runs.send(id, 'Tell me about sardines'));
    expect(await found('sardines')).toEqual([sent.userMessageId]);

    const first = await harness.waitForEvent(
      (event): event is MessageDeltaEvent => event.type === 'message-delta' && /[a-z]{5,}/i.test(event.text),
    );
    const word = first.text.match(/[a-z]{5,}/i)![0].toLowerCase();
    // Streaming: written to storage (checkpoints), not to the index.
    expect(await found(word)).toEqual([]);

    // Its end (here, the user stopping it) puts it in the index, as it was saved.
    await harness.core.runs.stop(id);
    await harness.core.search.settled();
    const results = await harness.core.search.search(word);
    expect(results.hits.map((hit) => hit.messageId)).toEqual([sent.assistantMessageId]);
    expect(results.hits[0]).toMatchObject({ conversationId: id, role: 'assistant', title: 'Tell me about sardines' });
    const [match] = results.hits[0].matches;
    expect(results.hits[0].snippet.slice(match.start, match.end).toLowerCase()).toBe(word);
  });

  it('finds an edit (a new sibling) and keeps the old branch findable; a deleted subtree is gone', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-echo');
    const first = receipt(await harness.core.runs.send(id, 'pineapple on pizza'));
    await harness.core.runs.settle();
    const edited = receipt(await harness.core.runs.edit(id, first.userMessageId, 'anchovies on pizza'));
    await harness.core.runs.settle();
    await harness.core.search.settled();
    expect((await found('anchovies')).sort()).toEqual([edited.userMessageId, edited.assistantMessageId].sort());
    expect((await found('pineapple')).sort()).toEqual([first.userMessageId, first.assistantMessageId].sort());

    expect((await harness.core.conversations.deleteMessage(id, first.userMessageId)).ok).toBe(true);
    expect(await found('pineapple')).toEqual([]);
    expect((await found('anchovies')).length).toBe(2);

    expect((await harness.core.conversations.delete(id)).ok).toBe(true);
    expect(await found('pizza')).toEqual([]);
  });

  it('finds what an import brought, as it lands', async () => {
    harness = await makeHarness();
    const result = await (await harness.core.dataTransfer()).importFiles([fixture('chatgpt-conversations.json')]);
    expect(result.ok).toBe(true);
    await harness.core.search.settled();
    const results = await harness.core.search.search('custard tarts');
    expect(results.hits).toHaveLength(1);
    expect(results.hits[0]).toMatchObject({
      conversationId: 'chatgpt:7c1d5e2a-0000-4000-8000-00000000a001',
      messageId: 'chatgpt:7c1d5e2a-0000-4000-8000-00000000a001:a2',
      title: 'Trip to Lisbon',
      snippet: 'Try the custard tarts at the bakery by the stop, and grilled sardines in Alfama.',
      matches: [
        { start: 8, end: 15 },
        { start: 16, end: 21 },
      ],
    });
    // The sidebar's filter: every conversation with a match.
    expect((await harness.core.search.search('lisbon')).conversationIds).toEqual([
      'chatgpt:7c1d5e2a-0000-4000-8000-00000000a001',
    ]);
  });
});

describe('building the index after a start', () => {
  async function storedHistory(conversations: number, perConversation: number): Promise<Repository> {
    const repository = await Repository.open(uniqueDatabaseName());
    repositories.push(repository);
    for (let index = 0; index < conversations; index++) {
      const conversationId = `c${index}`;
      await repository.putConversation(makeConversation({ id: conversationId, title: `Chat ${index}`, updatedAt: index }));
      const messages: Message[] = Array.from({ length: perConversation }, (_, position) =>
        makeMessage({
          id: `${conversationId}-m${position}`,
          conversationId,
          parentId: position ? `${conversationId}-m${position - 1}` : null,
          content: `note ${index} about harbour number${index}x${position}`,
          createdAt: position,
        }),
      );
      await repository.startRun(conversationId, (stored) => stored, messages);
    }
    return repository;
  }

  it('answers from what it has while it builds, says how far it is, then finds everything', async () => {
    const repository = await storedHistory(60, 10);
    const search = new Search(repository, new EventBus());
    await search.start();
    const early = await search.search('harbour');
    expect(early.indexing).toEqual({ indexed: expect.any(Number), total: 600 });
    expect(early.indexing!.indexed).toBeLessThan(600);
    await search.settled();
    const done = await search.search('harbour', { limit: 50 });
    expect(done.indexing).toBeUndefined();
    expect(done.conversationIds).toHaveLength(60);
    // Newest conversations are read first.
    expect(done.hits).toHaveLength(50);
    search.stop();
  });

  it('never brings back a message or conversation deleted while it was building', async () => {
    const repository = await storedHistory(60, 3);
    const bus = new EventBus();
    const search = new Search(repository, bus);
    await search.start();
    // The oldest conversations are read last: these deletions arrive before the loader gets there.
    bus.broadcast({ type: 'message-delete', conversationId: 'c0', messageIds: ['c0-m1', 'c0-m2'] });
    bus.broadcast({ type: 'conversation-delete', conversationId: 'c1', messageIds: ['c1-m0', 'c1-m1', 'c1-m2'] });
    await search.settled();
    // Exact words find their own message first; typo tolerance may add neighbours ("number50x0").
    const ids = async (query: string) => (await search.search(query)).hits.map((hit) => hit.messageId);
    expect((await ids('number0x0'))[0]).toBe('c0-m0');
    expect(await ids('number0x1')).not.toContain('c0-m1');
    expect(await ids('number0x2')).not.toContain('c0-m2');
    expect((await ids('number1x0')).filter((id) => id.startsWith('c1-'))).toEqual([]);
    expect((await search.search('harbour')).conversationIds).not.toContain('c1');
    search.stop();
  });

  it('finds a conversation deleted and then imported again while it was building', async () => {
    const repository = await storedHistory(60, 3);
    const bus = new EventBus();
    const search = new Search(repository, bus);
    await search.start();
    bus.broadcast({ type: 'message-delete', conversationId: 'c0', messageIds: ['c0-m2'] });
    bus.broadcast({ type: 'conversation-delete', conversationId: 'c1', messageIds: ['c1-m0', 'c1-m1', 'c1-m2'] });
    // The import writes the same ids again (an export's ids are stable) and queues them.
    search.indexConversations(['c0', 'c1'], 4);
    await search.settled();
    const ids = async (query: string) => (await search.search(query)).hits.map((hit) => hit.messageId);
    expect(await ids('number0x2')).toContain('c0-m2');
    expect(await ids('number1x1')).toContain('c1-m1');
    expect((await search.search('harbour', { limit: 200 })).conversationIds).toContain('c1');
    search.stop();
  });
});
