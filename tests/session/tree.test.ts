/**
 * Conversations as trees, in the core: edits and regenerations become siblings, the provider
 * reads exactly the branch shown, branches switch while another streams, subtrees delete, and
 * the totals count every reply of every branch.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Message, SendReceipt } from '../../src/shared/protocol';
import { MessageTree } from '../../src/shared/tree';
import { replyTextFor } from '../fixtures/mock-llm';
import { makeHarness, type Harness } from './harness';

let harness: Harness;
afterEach(async () => {
  await harness?.close();
});

function receipt(result: { ok: true; value: SendReceipt } | { ok: false; error: { message: string } }): SendReceipt {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function settled<T>(operation: Promise<T>): Promise<T> {
  const result = await operation;
  await harness.core.runs.settle();
  return result;
}

async function tree(conversationId: string): Promise<MessageTree<Message>> {
  return new MessageTree(await harness.messages(conversationId));
}

async function shownBranch(conversationId: string): Promise<string[]> {
  const conversation = await harness.core.repository.getConversation(conversationId);
  return (await tree(conversationId)).path(conversation!.activeLeafId).map((message) => message.content);
}

/** The roles and texts the provider received in its last chat request. */
function lastRequestTurns(): string[] {
  const request = harness.mock.chatRequests().at(-1)!;
  return request.body.messages.map((message: { role: string; content: string }) => `${message.role}: ${message.content}`);
}

/** A conversation of two exchanges on mock-echo: "You said: <question>" makes every turn visible. */
async function twoExchanges(): Promise<{ id: string; first: SendReceipt; second: SendReceipt }> {
  harness = await makeHarness();
  const id = await harness.conversation('mock-echo');
  const first = receipt(await settled(harness.core.runs.send(id, 'one')));
  const second = receipt(await settled(harness.core.runs.send(id, 'two')));
  return { id, first, second };
}

describe('a conversation as a tree', () => {
  it('an edit of an earlier message becomes its sibling, keeps the old branch, and gets a reply at once', async () => {
    const { id, first } = await twoExchanges();
    const edited = receipt(await settled(harness.core.runs.edit(id, first.userMessageId, 'uno')));

    const messages = await tree(id);
    expect(messages.siblings(first.userMessageId).map((message) => message.content)).toEqual(['one', 'uno']);
    expect(messages.get(edited.userMessageId)?.parentId).toBeNull();
    expect(messages.get(edited.assistantMessageId)).toMatchObject({ parentId: edited.userMessageId, status: 'complete' });
    // The old branch is all still there.
    expect(messages.size).toBe(6);
    expect(await shownBranch(id)).toEqual(['uno', 'You said: uno']);
    // The provider read the edited branch only.
    expect(lastRequestTurns()).toEqual(['user: uno']);
  });

  it('regenerating a middle reply adds a sibling reply to the same question, reading only the branch up to it', async () => {
    const { id, first } = await twoExchanges();
    const regenerated = receipt(await settled(harness.core.runs.regenerate(id, first.assistantMessageId)));

    const messages = await tree(id);
    expect(messages.siblings(first.assistantMessageId).map((message) => message.id)).toEqual([
      first.assistantMessageId,
      regenerated.assistantMessageId,
    ]);
    expect(messages.get(regenerated.assistantMessageId)?.parentId).toBe(first.userMessageId);
    expect(regenerated.userMessageId).toBe('');
    expect(lastRequestTurns()).toEqual(['user: one']);
    expect(await shownBranch(id)).toEqual(['one', 'You said: one']);
  });

  it('the provider receives exactly the branch shown: after switching back, a new message follows the old branch', async () => {
    const { id, first, second } = await twoExchanges();
    await settled(harness.core.runs.edit(id, first.userMessageId, 'uno'));
    expect((await harness.core.conversations.switchBranch(id, first.userMessageId)).ok).toBe(true);
    // Switching lands on the most recent leaf under the chosen message.
    expect((await harness.core.repository.getConversation(id))?.activeLeafId).toBe(second.assistantMessageId);

    await settled(harness.core.runs.send(id, 'three'));
    expect(lastRequestTurns()).toEqual([
      'user: one',
      'assistant: You said: one',
      'user: two',
      'assistant: You said: two',
      'user: three',
    ]);
  });

  it('switching to another branch while one streams: the reply runs to its end on its branch, the switch stays', async () => {
    harness = await makeHarness();
    const model = 'mock-slow:tokens=60:delay=10';
    const id = await harness.conversation(model);
    const first = receipt(await settled(harness.core.runs.send(id, 'one')));
    const regenerating = receipt(await harness.core.runs.regenerate(id, first.assistantMessageId));
    await harness.waitForEvent((event) => event.type === 'message-delta' && event.messageId === regenerating.assistantMessageId);

    const switched = await harness.core.conversations.switchBranch(id, first.assistantMessageId);
    expect(switched.ok && switched.value.activeLeafId).toBe(first.assistantMessageId);
    await harness.core.runs.settle();

    const stored = await harness.core.repository.getMessage(regenerating.assistantMessageId);
    expect(stored).toMatchObject({ status: 'complete', content: replyTextFor(model), parentId: first.userMessageId });
    expect((await harness.core.repository.getConversation(id))?.activeLeafId).toBe(first.assistantMessageId);
  });

  it('deleting a message deletes its subtree; the shown branch moves to what is left under its parent', async () => {
    const { id, first, second } = await twoExchanges();
    const edited = receipt(await settled(harness.core.runs.edit(id, second.userMessageId, 'deux')));
    expect((await harness.core.conversations.deleteMessage(id, edited.userMessageId)).ok).toBe(true);

    const messages = await tree(id);
    expect(messages.get(edited.userMessageId)).toBeUndefined();
    expect(messages.get(edited.assistantMessageId)).toBeUndefined();
    expect((await harness.core.repository.getConversation(id))?.activeLeafId).toBe(second.assistantMessageId);
    const deleted = harness.events.find((event) => event.type === 'message-delete');
    expect(deleted?.type === 'message-delete' && [...deleted.messageIds].sort()).toEqual(
      [edited.userMessageId, edited.assistantMessageId].sort(),
    );

    // The first question goes with everything below it.
    await harness.core.conversations.deleteMessage(id, first.userMessageId);
    expect(await harness.messages(id)).toEqual([]);
    expect((await harness.core.repository.getConversation(id))?.activeLeafId).toBeNull();
  });

  it('refuses to delete a subtree whose reply is still being written', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-slow:tokens=60:delay=10');
    const running = receipt(await harness.core.runs.send(id, 'go'));
    const refused = await harness.core.conversations.deleteMessage(id, running.userMessageId);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.kind).toBe('busy');
    await harness.core.runs.stop(id);
  });

  it('the conversation’s usage and cost sum every reply of every branch', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-cost');
    const first = receipt(await settled(harness.core.runs.send(id, 'one')));
    await settled(harness.core.runs.regenerate(id, first.assistantMessageId));
    await settled(harness.core.runs.edit(id, first.userMessageId, 'uno'));

    const replies = (await harness.messages(id)).filter((message) => message.role === 'assistant');
    expect(replies).toHaveLength(3);
    const conversation = await harness.core.repository.getConversation(id);
    expect(conversation?.cost).toBeCloseTo(3 * 0.00042, 12);
    expect(conversation?.usage.completionTokens).toBe(replies.reduce((sum, reply) => sum + reply.usage!.completionTokens, 0));
  });

  it('resume works on the branch shown, and refuses a reply that is not its leaf', async () => {
    harness = await makeHarness();
    const model = 'mock-slow:tokens=40:delay=5';
    const id = await harness.conversation(model);
    const first = receipt(await harness.core.runs.send(id, 'one'));
    await harness.waitForEvent((event) => event.type === 'message-delta' && event.messageId === first.assistantMessageId);
    await harness.core.runs.stop(id);
    // A regenerated sibling is shown now; the stopped reply is not the leaf of the shown branch.
    await settled(harness.core.runs.regenerate(id, first.assistantMessageId));
    expect((await harness.core.runs.resume(id)).ok).toBe(false);

    await harness.core.conversations.switchBranch(id, first.assistantMessageId);
    const resumed = receipt(await settled(harness.core.runs.resume(id)));
    expect(resumed.assistantMessageId).toBe(first.assistantMessageId);
    expect((await harness.core.repository.getMessage(first.assistantMessageId))?.content).toBe(replyTextFor(model));
  });
});
