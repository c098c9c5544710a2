/**
 * Issue 5's failure matrix, the rows the core shows on its own: a full disk mid-reply, billing
 * and odd error bodies, a host that does not exist, a huge reply, a huge conversation. Each test
 * asserts what the user would notice: the message and its status, and that nothing is lost.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CoreEvent, Message, MessageDeltaEvent, MessageEndEvent, RunStatusEvent } from '../../src/shared/protocol';
import { Core } from '../../src/worker/core';
import { replyTextFor } from '../fixtures/mock-llm';
import { deltaText, makeHarness, type Harness } from './harness';

let harness: Harness | undefined;
const originalPut = IDBObjectStore.prototype.put;

afterEach(async () => {
  IDBObjectStore.prototype.put = originalPut;
  await harness?.close();
  harness = undefined;
});

const isDelta = (event: CoreEvent): event is MessageDeltaEvent => event.type === 'message-delta';
const isEnd = (event: CoreEvent): event is MessageEndEvent => event.type === 'message-end';
const isStatus =
  (status: string) =>
  (event: CoreEvent): event is RunStatusEvent =>
    event.type === 'run-status' && event.status === status;

/** From now on, every write to the messages store fails as a full disk does. */
function fillDiskForMessages(): void {
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (this.name === 'messages') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return originalPut.apply(this, args);
  };
}

async function send(
  current: Harness,
  conversationId: string,
  text = 'Hello',
): Promise<{ userMessageId: string; assistantMessageId: string }> {
  const receipt = await current.core.runs.send(conversationId, text);
  if (!receipt.ok) throw new Error(receipt.error.message);
  return receipt.value;
}

/** A finished first exchange, to check that later failures leave it as it was. */
async function earlierExchange(current: Harness, conversationId: string): Promise<Message[]> {
  await send(current, conversationId, 'First question');
  await current.core.runs.settle();
  return current.messages(conversationId);
}

describe('fault 8: the disk fills up mid-reply', () => {
  it('while checkpointing: nothing is lost, and the final save holds the whole reply', async () => {
    harness = await makeHarness();
    const model = 'mock-slow:tokens=60:delay=10';
    const id = await harness.conversation(model);
    const checkpoint = vi
      .spyOn(harness.core.repository, 'checkpointMessage')
      .mockRejectedValue(Object.assign(new DOMException('full', 'QuotaExceededError')));
    const { assistantMessageId } = await send(harness, id);
    await harness.core.runs.settle();

    expect(checkpoint).toHaveBeenCalled();
    const stored = await harness.core.repository.getMessage(assistantMessageId);
    expect(stored).toMatchObject({ status: 'complete', content: replyTextFor(model) });
  });

  it('while checkpointing and at the final save: the reply stays on screen with a storage error; earlier rows intact', async () => {
    harness = await makeHarness();
    const model = 'mock-slow:tokens=60:delay=10';
    const id = await harness.conversation(model);
    const before = await earlierExchange(harness, id);
    const conversationBefore = await harness.core.repository.getConversation(id);

    const { assistantMessageId } = await send(harness, id, 'Second question');
    fillDiskForMessages();
    const end = await harness.waitForEvent(
      (event): event is MessageEndEvent => isEnd(event) && event.message.id === assistantMessageId,
      10_000,
    );
    await harness.core.runs.settle();
    IDBObjectStore.prototype.put = originalPut;

    // What every tab viewing it gets: the whole text, status error, and why in words.
    expect(end.message.status).toBe('error');
    expect(end.message.contentLength).toBe(replyTextFor(model).length);
    expect(end.message.error).toMatchObject({ kind: 'storage', retryable: false });
    expect(end.message.error?.message).toMatch(/storage for Parley is full/);
    expect(deltaText(harness.events, assistantMessageId)).toBe(replyTextFor(model));
    const status = harness.events.filter(isStatus('error')).at(-1);
    expect(status?.error?.kind).toBe('storage');

    // Stored earlier: untouched. The user's new message was stored before the disk filled.
    const after = await harness.messages(id);
    expect(after.slice(0, 2)).toEqual(before);
    expect(after[2]).toMatchObject({ role: 'user', content: 'Second question', status: 'complete' });
    expect(await harness.core.repository.getConversation(id)).toMatchObject({
      usage: conversationBefore?.usage,
      cost: conversationBefore?.cost,
    });

    // The unsaved reply's row is recovered as interrupted by the next core, and Resume finishes it.
    const restarted = await Core.start({
      buildId: 'test',
      databaseName: harness.databaseName,
      timings: { checkpointIntervalMs: 250, stallTimeoutMs: 2000 },
    });
    try {
      expect((await restarted.repository.getMessage(assistantMessageId))?.status).toBe('interrupted');
      expect((await restarted.runs.resume(id)).ok).toBe(true);
      await restarted.runs.settle();
      expect(await restarted.repository.getMessage(assistantMessageId)).toMatchObject({
        status: 'complete',
        content: replyTextFor(model),
      });
    } finally {
      restarted.repository.close();
    }
  });

  it('when the user message cannot be stored: the send is refused with a storage error and nothing is written', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-fast');
    const before = await earlierExchange(harness, id);
    fillDiskForMessages();
    const result = await harness.core.runs.send(id, 'Keep me in the composer');
    IDBObjectStore.prototype.put = originalPut;

    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ kind: 'storage' });
    expect(!result.ok && result.error.message).toMatch(/full/);
    expect(await harness.messages(id)).toEqual(before);
    expect(harness.mock.chatRequests()).toHaveLength(1);
  });
});

describe('fault 3: the provider drops the connection mid-reply', () => {
  it('status error with the partial kept, and Resume completes the same message without repeats', async () => {
    harness = await makeHarness();
    const model = 'mock-drop';
    const id = await harness.conversation(model);
    const { assistantMessageId } = await send(harness, id);
    await harness.core.runs.settle();
    const dropped = await harness.core.repository.getMessage(assistantMessageId);
    expect(dropped).toMatchObject({ status: 'error', error: { kind: 'network' } });
    expect(dropped?.error?.message).toMatch(/dropped mid-reply.*Resume continues it/);
    expect(dropped!.content.length).toBeGreaterThan(0);

    const resumed = await harness.core.runs.resume(id);
    expect(resumed.ok && resumed.value.assistantMessageId).toBe(assistantMessageId);
    await harness.core.runs.settle();
    const messages = await harness.messages(id);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({ id: assistantMessageId, status: 'complete', content: replyTextFor(model) });
    expect(messages[1].error).toBeUndefined();
    expect(deltaText(harness.events, assistantMessageId)).toBe(replyTextFor(model));
  });
});

describe('fault 4: HTTP errors', () => {
  it('402: billing, named, not retried; the typed message is kept', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-402');
    await send(harness, id, 'Will this cost?');
    await harness.core.runs.settle();
    const [user, reply] = await harness.messages(id);
    expect(user.content).toBe('Will this cost?');
    expect(reply).toMatchObject({ status: 'error', content: '', error: { kind: 'billing', httpStatus: 402, retryable: false } });
    expect(reply.error?.message).toMatch(/Mock says the account has run out of credit.*Add credit with Mock/);
    expect(harness.mock.chatRequests()).toHaveLength(1);
  });

  it('429 every time: each retry waits the delay the provider asked for, visibly, then a clear error', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-429');
    await send(harness, id);
    await harness.core.runs.settle();
    const retries = harness.events.filter(isStatus('retrying'));
    expect(retries.map((event) => [event.retry?.attempt, event.retry?.maxAttempts, event.retry?.delayMs])).toEqual([
      [1, 3, 1000],
      [2, 3, 1000],
      [3, 3, 1000],
    ]);
    const reply = (await harness.messages(id))[1];
    expect(reply).toMatchObject({ status: 'error', error: { kind: 'rate-limit', httpStatus: 429 } });
    expect(reply.error?.message).toMatch(/limiting requests.*Wait a moment/);
    expect(harness.mock.chatRequests()).toHaveLength(4);
  }, 15_000);

  it('502: retried before the first token, then a clear error', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-502');
    await send(harness, id);
    await harness.core.runs.settle();
    expect(harness.events.filter(isStatus('retrying'))).toHaveLength(3);
    expect((await harness.messages(id))[1]).toMatchObject({ status: 'error', error: { kind: 'server', httpStatus: 502 } });
  });

  it('a non-JSON (HTML) error body: retried as a server error, then a clean message without the HTML', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-500-text');
    await send(harness, id);
    await harness.core.runs.settle();
    const reply = (await harness.messages(id))[1];
    expect(reply).toMatchObject({ status: 'error', error: { kind: 'server', httpStatus: 500 } });
    expect(reply.error?.message).toMatch(/Mock had a server error \(HTTP 500\)/);
    expect(reply.error?.message).not.toMatch(/<html|<body/);
    expect(harness.mock.chatRequests()).toHaveLength(4);
  });
});

describe('fault 6: a host that does not exist (DNS failure)', () => {
  it('waits visibly with a message naming the address; stopping keeps the typed message', async () => {
    harness = await makeHarness();
    const baseURL = 'http://parley-no-such-host.invalid/v1';
    const saved = await harness.core.catalog.saveProvider({ presetId: 'custom', name: 'Nowhere', baseURL });
    if (!saved.ok) throw new Error(saved.error.message);
    const created = await harness.core.conversations.create({ providerId: saved.value.id, modelId: 'any-model' });
    if (!created.ok) throw new Error(created.error.message);
    const id = created.value.id;

    await send(harness, id, 'Are you there?');
    const waiting = await harness.waitForEvent(isStatus('waiting'));
    expect(waiting.error).toMatchObject({ kind: 'network', retryable: true });
    expect(waiting.error?.message).toMatch(/Couldn't reach Nowhere at http:\/\/parley-no-such-host\.invalid\/v1/);

    await harness.core.runs.stop(id);
    const [user, reply] = await harness.messages(id);
    expect(user).toMatchObject({ role: 'user', content: 'Are you there?' });
    expect(reply.status).toBe('stopped');
  });
});

describe('fault 11: size', () => {
  it('a 1 MB reply streams through the core whole, in batches, with few checkpoints', async () => {
    harness = await makeHarness({ timings: { stallTimeoutMs: 20_000 } });
    const model = 'mock-fast:tokens=170000';
    const expected = replyTextFor(model);
    expect(expected.length).toBeGreaterThan(1024 * 1024);
    const id = await harness.conversation(model);
    const { assistantMessageId } = await send(harness, id);
    await harness.core.runs.settle();

    expect(await harness.core.repository.getMessage(assistantMessageId)).toMatchObject({ status: 'complete', content: expected });
    expect(deltaText(harness.events, assistantMessageId)).toBe(expected);
    // Coalesced: far fewer deltas than the 170,000 tokens (the spacing itself: generation.test.ts).
    expect(harness.events.filter(isDelta).length).toBeLessThan(170_000 / 10);
  }, 60_000);

  it('a conversation of 5,000 messages is listed in order, and a new reply lands after all of them', async () => {
    harness = await makeHarness();
    const model = 'mock-echo';
    const id = await harness.conversation(model);
    const history: Message[] = Array.from({ length: 5000 }, (_, index) => ({
      id: `history-${index}`,
      conversationId: id,
      parentId: index === 0 ? null : `history-${index - 1}`,
      role: index % 2 === 0 ? 'user' : 'assistant',
      content: `Message number ${index}`,
      status: 'complete',
      createdAt: 1_000 + index,
      updatedAt: 1_000 + index,
    }));
    await harness.core.repository.startRun(id, (stored) => ({ ...stored, activeLeafId: 'history-4999' }), history);

    const listed = await harness.core.repository.listMessages(id);
    expect(listed.map((message) => message.id)).toEqual(history.map((message) => message.id));

    await send(harness, id, 'And one more');
    await harness.core.runs.settle();
    const after = await harness.messages(id);
    expect(after).toHaveLength(5002);
    expect(after.slice(0, 5000)).toEqual(history);
    expect(after.at(-1)).toMatchObject({ role: 'assistant', status: 'complete', content: 'You said: And one more' });
    // The provider got the whole history.
    expect(harness.mock.chatRequests()[0].body.messages).toHaveLength(5001);
  }, 30_000);
});
