/**
 * The bridge's way in: `SyncStorage.apply` merges records from another device into Parley's own
 * stores in one transaction, and says what changed (for the tabs) and what is newer here (to be
 * sent back).
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { edit } from '../../src/shared/conversation-edits';
import type { Repository } from '../../src/worker/storage/repository';
import { makeConversation, makeMessage, makeProvider, openRepository } from './helpers';

const usage = (promptTokens: number, completionTokens: number) => ({ promptTokens, completionTokens });

async function withConversation(): Promise<Repository> {
  const repository = await openRepository();
  await repository.putConversation(
    makeConversation({ id: 'c', title: 'Here', createdAt: 1, updatedAt: 10, usage: usage(1, 1), cost: 0.5 }),
  );
  await repository.putMessage(makeMessage({ id: 'u1', conversationId: 'c', role: 'user', createdAt: 2, updatedAt: 2 }));
  return repository;
}

describe('SyncStorage.apply', () => {
  it('messages from another device join their conversation, whose totals are summed from the messages held', async () => {
    const repository = await withConversation();
    const reply = makeMessage({
      id: 'a1',
      conversationId: 'c',
      parentId: 'u1',
      role: 'assistant',
      status: 'complete',
      createdAt: 3,
      updatedAt: 3,
      usage: usage(100, 20),
      cost: 0.25,
    });
    const applied = await repository.syncStorage().apply([{ kind: 'message', record: reply }]);
    expect(applied.messages).toEqual([reply]);
    expect(await repository.getMessage('a1')).toEqual(reply);
    // The 0.5 stored before came from no message held: the total is what the messages say.
    expect(await repository.getConversation('c')).toMatchObject({ usage: usage(100, 20), cost: 0.25 });
    expect(applied.conversations.map((conversation) => conversation.id)).toEqual(['c']);
  });

  it('a conversation merges field by field with the one here; what is newer here is named to be sent back', async () => {
    const repository = await withConversation();
    const here = edit((await repository.getConversation('c'))!, { modelId: 'model-here' }, 40);
    await repository.putConversation(here);
    const remote = edit(makeConversation({ id: 'c', title: 'Here', createdAt: 1, updatedAt: 30 }), { title: 'There' }, 30);
    const applied = await repository.syncStorage().apply([{ kind: 'conversation', record: remote }]);
    expect(await repository.getConversation('c')).toMatchObject({ title: 'There', modelId: 'model-here' });
    expect(applied.newerHere).toEqual([{ kind: 'conversation', id: 'c' }]);
  });

  it('an older copy of a message does not replace the one here, and one being written here is left alone', async () => {
    const repository = await withConversation();
    const newer = makeMessage({ id: 'a1', conversationId: 'c', role: 'assistant', content: 'Newer', updatedAt: 50 });
    const streaming = makeMessage({ id: 'a2', conversationId: 'c', role: 'assistant', status: 'streaming', updatedAt: 5 });
    await repository.putMessage(newer);
    await repository.putMessage(streaming);
    const applied = await repository.syncStorage().apply([
      { kind: 'message', record: { ...newer, content: 'Older', updatedAt: 20 } },
      { kind: 'message', record: { ...streaming, status: 'complete', content: 'From elsewhere', updatedAt: 60 } },
    ]);
    expect(await repository.getMessage('a1')).toEqual(newer);
    expect(await repository.getMessage('a2')).toEqual(streaming);
    expect(applied.messages).toEqual([]);
    expect(applied.newerHere).toEqual([{ kind: 'message', id: 'a1' }]);
  });

  it('a deleted conversation takes its messages and files; deletions of what is not here change nothing', async () => {
    const repository = await withConversation();
    await repository.syncStorage().apply([
      {
        kind: 'attachment',
        record: {
          id: 'f',
          conversationId: 'c',
          messageId: 'u1',
          name: 'a.txt',
          mime: 'text/plain',
          size: 1,
          kind: 'text',
          blob: new Blob(['a']),
        },
      },
    ]);
    expect(await repository.getAttachment('f')).toBeDefined();
    const applied = await repository.syncStorage().apply([
      { kind: 'deleted', target: 'conversation', id: 'c' },
      { kind: 'deleted', target: 'message', id: 'never-here' },
      { kind: 'deleted', target: 'provider', id: 'never-here' },
    ]);
    expect(applied.deletedConversations).toEqual([{ id: 'c', messageIds: ['u1'] }]);
    expect(applied.deletedMessages).toEqual([]);
    expect(applied.providersChanged).toBe(false);
    expect(await repository.getConversation('c')).toBeUndefined();
    expect(await repository.getMessage('u1')).toBeUndefined();
    expect(await repository.getAttachment('f')).toBeUndefined();
  });

  it('a provider keeps the key this device holds (keys never travel)', async () => {
    const repository = await openRepository();
    await repository.putProvider(makeProvider({ id: 'p', name: 'Mine', apiKey: 'sk-local' }));
    const { apiKey: _apiKey, ...remote } = makeProvider({ id: 'p', name: 'Renamed elsewhere' });
    const applied = await repository.syncStorage().apply([{ kind: 'provider', record: remote }]);
    expect(applied.providersChanged).toBe(true);
    expect(await repository.getProvider('p')).toMatchObject({ name: 'Renamed elsewhere', apiKey: 'sk-local' });
  });
});
