import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CoreEvent, MessageDeltaEvent, RunStatusEvent } from '../../src/shared/protocol';
import { NEW_CHAT_TITLE } from '../../src/shared/title';
import { Core } from '../../src/worker/core';
import { CONTINUE_INSTRUCTION } from '../../src/worker/providers/chat-request';
import { replyTextFor } from '../fixtures/mock-llm';
import { deltaText, makeHarness, type Harness } from './harness';

let harness: Harness;
afterEach(async () => {
  await harness?.close();
});

const isDelta = (event: CoreEvent): event is MessageDeltaEvent => event.type === 'message-delta';
const isStatus =
  (status: string) =>
  (event: CoreEvent): event is RunStatusEvent =>
    event.type === 'run-status' && event.status === status;

async function sendAndSettle(conversationId: string, text = 'Hello there') {
  const receipt = await harness.core.runs.send(conversationId, text);
  if (!receipt.ok) throw new Error(receipt.error.message);
  await harness.core.runs.settle();
  return receipt.value;
}

describe('a run', () => {
  it('streams to complete with usage, cost and an auto title', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-fast');
    const receipt = await sendAndSettle(id, 'What is the capital of France?\nAnswer briefly.');

    const [user, assistant] = await harness.messages(id);
    expect(user).toMatchObject({
      id: receipt.userMessageId,
      role: 'user',
      content: 'What is the capital of France?\nAnswer briefly.',
    });
    expect(assistant).toMatchObject({
      id: receipt.assistantMessageId,
      role: 'assistant',
      status: 'complete',
      finishReason: 'stop',
    });
    expect(assistant.content).toBe(replyTextFor('mock-fast'));
    expect(assistant.usage?.completionTokens).toBeGreaterThan(0);
    // mock-fast costs $1 / $2 per million tokens.
    const expected = (assistant.usage!.promptTokens * 1 + assistant.usage!.completionTokens * 2) / 1e6;
    expect(assistant.cost).toBeCloseTo(expected, 12);

    const conversation = await harness.core.repository.getConversation(id);
    expect(conversation?.title).toBe('What is the capital of France?');
    expect(conversation?.usage).toEqual(assistant.usage);
    expect(conversation?.cost).toBeCloseTo(expected, 12);
    expect(deltaText(harness.events, assistant.id)).toBe(assistant.content);
  });

  it('uses the cost the provider reports over its own maths', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-cost');
    await sendAndSettle(id);
    await sendAndSettle(id, 'again');
    const replies = (await harness.messages(id)).filter((message) => message.role === 'assistant');
    expect(replies.map((message) => message.cost)).toEqual([0.00042, 0.00042]);
    expect((await harness.core.repository.getConversation(id))?.cost).toBeCloseTo(0.00084, 12);
    harness.core.sessions.release(id);
  });

  it('tracks session cost across replies while the session lives', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-cost');
    await harness.core.sessions.retain(id);
    await sendAndSettle(id);
    await sendAndSettle(id, 'more');
    expect(harness.core.sessions.state(id)?.sessionCost).toBeCloseTo(0.00084, 12);
  });

  it('sends the system prompt and the whole history', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-echo');
    await harness.core.conversations.update(id, { systemPrompt: 'Be terse.' });
    await sendAndSettle(id, 'first');
    await sendAndSettle(id, 'second');
    const last = harness.mock.chatRequests().at(-1)!;
    expect(last.body.messages.map((message: { role: string }) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(last.body.messages[0].content).toBe('Be terse.');
    expect(last.body.stream_options).toEqual({ include_usage: true });
  });

  it('auto-titles only from the first message, cut on a word at 60 characters', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-fast');
    await sendAndSettle(id, 'Please explain how the northern lights form and why they appear in different colours');
    const title = (await harness.core.repository.getConversation(id))!.title;
    expect(title.length).toBeLessThanOrEqual(60);
    expect(title).toBe('Please explain how the northern lights form and why they…');
    await sendAndSettle(id, 'Another question');
    expect((await harness.core.repository.getConversation(id))!.title).toBe(title);
  });
});

describe('stop and resume', () => {
  it('stop keeps the exact partial, saves once and never appends marker text', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-slow:tokens=200:delay=10');
    const finishRun = vi.spyOn(harness.core.repository, 'finishRun');
    const receipt = await harness.core.runs.send(id, 'Tell me a long story');
    if (!receipt.ok) throw new Error('send failed');
    await harness.waitForEvent((event) => isDelta(event) && event.seq >= 3);
    await harness.core.runs.stop(id);

    const assistant = (await harness.messages(id))[1];
    expect(assistant.status).toBe('stopped');
    expect(assistant.content.length).toBeGreaterThan(0);
    expect(assistant.content).toBe(deltaText(harness.events, assistant.id));
    expect(replyTextFor('mock-slow:tokens=200:delay=10').startsWith(assistant.content)).toBe(true);
    expect(assistant.content).not.toMatch(/stopped/i);
    expect(finishRun).toHaveBeenCalledTimes(1);
    await harness.waitForEvent(isStatus('stopped'));
    const request = harness.mock.chatRequests()[0];
    await request.done;
    expect(request.aborted).toBe(true);
  });

  it('resume appends to the same message without repeating text', async () => {
    harness = await makeHarness();
    const model = 'mock-slow:tokens=80:delay=5';
    const id = await harness.conversation(model);
    const receipt = await harness.core.runs.send(id, 'Go');
    if (!receipt.ok) throw new Error('send failed');
    await harness.waitForEvent((event) => isDelta(event) && event.seq >= 2);
    await harness.core.runs.stop(id);
    const partial = (await harness.messages(id))[1].content;

    const resumed = await harness.core.runs.resume(id);
    expect(resumed.ok && resumed.value.assistantMessageId).toBe(receipt.value.assistantMessageId);
    await harness.core.runs.settle();

    const messages = await harness.messages(id);
    expect(messages).toHaveLength(2);
    expect(messages[1].status).toBe('complete');
    expect(messages[1].content).toBe(replyTextFor(model));
    expect(messages[1].content.startsWith(partial)).toBe(true);
    // A custom provider is asked to continue the partial text with the instruction (the safe way).
    const continuation = harness.mock.chatRequests().at(-1)!.body.messages.slice(-2);
    expect(continuation).toEqual([
      { role: 'assistant', content: partial.trimEnd() },
      { role: 'user', content: CONTINUE_INSTRUCTION },
    ]);
    // Every byte went out once: the deltas of both runs add up to the final text.
    expect(deltaText(harness.events, messages[1].id)).toBe(messages[1].content);
  });

  it('resumes a row left "streaming" by a failed final save, when no run holds it', async () => {
    harness = await makeHarness();
    const model = 'mock-slow:tokens=30:delay=2';
    const id = await harness.conversation(model);
    await sendAndSettle(id);
    const [, reply] = await harness.messages(id);
    const partial = replyTextFor(model).slice(0, 40);
    await harness.core.repository.putMessage({ ...reply, status: 'streaming', content: partial });
    expect((await harness.core.runs.resume(id)).ok).toBe(true);
    await harness.core.runs.settle();
    expect((await harness.messages(id))[1]).toMatchObject({ status: 'complete', content: replyTextFor(model) });
  });

  it('resume refuses when nothing is unfinished', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-fast');
    await sendAndSettle(id);
    const result = await harness.core.runs.resume(id);
    expect(result.ok).toBe(false);
  });

  it('a reply cut by length is resumed in place to the whole text', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-length');
    await sendAndSettle(id);
    const [, cut] = await harness.messages(id);
    expect(cut).toMatchObject({ status: 'complete', finishReason: 'length' });
    expect(cut.content.length).toBeLessThan(replyTextFor('mock-length').length);

    expect((await harness.core.runs.resume(id)).ok).toBe(true);
    await harness.core.runs.settle();
    const messages = await harness.messages(id);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({
      id: cut.id,
      status: 'complete',
      finishReason: 'stop',
      content: replyTextFor('mock-length'),
    });
  });

  it('marks replies left streaming by a dead worker as interrupted on start', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-slow:tokens=400:delay=10');
    await harness.core.runs.send(id, 'Go');
    await harness.waitForEvent((event) => isDelta(event) && event.seq >= 2);
    // Let one checkpoint land, then "kill" the worker: a second core opens the same database.
    await vi.waitFor(async () => expect((await harness.messages(id))[1].content.length).toBeGreaterThan(0), { timeout: 2000 });
    const databaseName = harness.databaseName;
    const second = await Core.start({ buildId: 'test', databaseName });
    const [, assistant] = await second.repository.listMessages(id);
    expect(assistant.status).toBe('interrupted');
    expect(replyTextFor('mock-slow:tokens=400:delay=10').startsWith(assistant.content)).toBe(true);
    second.repository.close();
    await harness.core.runs.stop(id);
  });
});

describe('errors', () => {
  it('an error before the first token is classified and not retried when it cannot help', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-401');
    await sendAndSettle(id);
    const assistant = (await harness.messages(id))[1];
    expect(assistant).toMatchObject({ status: 'error', content: '', error: { kind: 'auth', httpStatus: 401 } });
    expect(assistant.error?.message).toMatch(/Mock rejected the API key/);
    expect(harness.mock.chatRequests()).toHaveLength(1);
  });

  it('retries a server error before the first token, visibly, then succeeds', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-500-once');
    await sendAndSettle(id);
    const retrying = harness.events.find(isStatus('retrying'));
    expect(retrying?.retry).toMatchObject({ attempt: 1, maxAttempts: 3 });
    expect(retrying?.retry?.error.kind).toBe('server');
    const assistant = (await harness.messages(id))[1];
    expect(assistant.status).toBe('complete');
    expect(assistant.content).toBe(replyTextFor('mock-500-once'));
    expect(harness.mock.chatRequests()).toHaveLength(2);
  });

  it('honours retry-after on a 429', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-429-once');
    await sendAndSettle(id);
    const retrying = harness.events.find(isStatus('retrying'));
    expect(retrying?.retry?.delayMs).toBe(1000);
    expect(retrying?.retry?.error.kind).toBe('rate-limit');
    expect((await harness.messages(id))[1].status).toBe('complete');
  });

  it('gives up after three retries with a clear error', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-503');
    await sendAndSettle(id);
    expect(harness.mock.chatRequests()).toHaveLength(4);
    expect((await harness.messages(id))[1]).toMatchObject({ status: 'error', error: { kind: 'server', httpStatus: 503 } });
  });

  it('an error after tokens keeps the partial with status error, and Resume completes it', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-drop');
    await sendAndSettle(id);
    const assistant = (await harness.messages(id))[1];
    expect(assistant.status).toBe('error');
    expect(assistant.error?.kind).toBe('network');
    expect(assistant.content.length).toBeGreaterThan(0);
    expect(replyTextFor('mock-drop').startsWith(assistant.content)).toBe(true);
    // Dropped mid-reply: never retried silently (it would repeat text).
    expect(harness.mock.chatRequests()).toHaveLength(1);

    expect((await harness.core.runs.resume(id)).ok).toBe(true);
    await harness.core.runs.settle();
    const messages = await harness.messages(id);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({ id: assistant.id, status: 'complete', content: replyTextFor('mock-drop') });
  });

  it('a malformed chunk keeps the partial and names the problem', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-malformed');
    await sendAndSettle(id);
    const assistant = (await harness.messages(id))[1];
    expect(assistant).toMatchObject({ status: 'error', error: { kind: 'malformed-stream' } });
    expect(assistant.content.length).toBeGreaterThan(0);
  });

  it('a stream that ends without finishing is an error, partial kept', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-no-done');
    await sendAndSettle(id);
    const assistant = (await harness.messages(id))[1];
    expect(assistant).toMatchObject({ status: 'error', error: { kind: 'malformed-stream' } });
    expect(assistant.content.length).toBeGreaterThan(0);
  });

  it('a stalled stream times out, partial kept', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-stall');
    await sendAndSettle(id);
    const assistant = (await harness.messages(id))[1];
    expect(assistant).toMatchObject({ status: 'error', error: { kind: 'timeout' } });
    expect(assistant.content.length).toBeGreaterThan(0);
  });

  it('a conversation without a provider says what to do and writes nothing: sent again after the fix, the message is there once', async () => {
    harness = await makeHarness();
    const created = await harness.core.conversations.create({ providerId: 'missing', modelId: 'mock-fast' });
    if (!created.ok) throw new Error('create failed');
    const id = created.value.id;
    const result = await harness.core.runs.send(id, 'keep me');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ kind: 'config', message: expect.stringContaining('Settings') });
    // The composer keeps the text (a refused send clears nothing); the chat holds no copy of it.
    expect(await harness.messages(id)).toEqual([]);

    await harness.core.conversations.update(id, { providerId: harness.providerId, modelId: 'mock-fast' });
    await sendAndSettle(id, 'keep me');
    expect((await harness.messages(id)).map((message) => [message.role, message.content])).toEqual([
      ['user', 'keep me'],
      ['assistant', replyTextFor('mock-fast')],
    ]);
    expect(
      harness.mock.chatRequests()[0].body.messages.filter((message: { role: string }) => message.role === 'user'),
    ).toHaveLength(1);
  });
});

describe('concurrency', () => {
  it('two sends at the same moment make exactly one run; the other is told busy', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-slow:tokens=20:delay=5');
    const [first, second] = await Promise.all([harness.core.runs.send(id, 'one'), harness.core.runs.send(id, 'two')]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    const refused = first.ok ? second : first;
    expect(!refused.ok && refused.error.kind).toBe('busy');
    await harness.core.runs.settle();
    expect(harness.mock.chatRequests()).toHaveLength(1);
    expect((await harness.messages(id)).filter((message) => message.role === 'user')).toHaveLength(1);
  });

  it('two conversations stream at once', async () => {
    harness = await makeHarness();
    const model = 'mock-slow:tokens=30:delay=5';
    const a = await harness.conversation(model);
    const b = await harness.conversation(model);
    const [ra, rb] = await Promise.all([harness.core.runs.send(a, 'a'), harness.core.runs.send(b, 'b')]);
    expect(ra.ok && rb.ok).toBe(true);
    expect(harness.core.runs.run(a) && harness.core.runs.run(b)).toBeTruthy();
    await harness.core.runs.settle();
    for (const id of [a, b]) expect((await harness.messages(id))[1].content).toBe(replyTextFor(model));
  });

  it('a stop that arrives right after the reply is announced stops it: the run is registered in the same step', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-slow:tokens=200:delay=10');
    const stopped = new Promise<void>((resolve) => {
      const subscription = harness.core.bus.events$.subscribe(({ event }) => {
        if (event.type !== 'message-start') return;
        subscription.unsubscribe();
        // A tab's Stop comes as a message: after the step that announced the reply, never inside it.
        queueMicrotask(() => void harness.core.runs.stop(id).then(() => resolve()));
      });
    });
    expect((await harness.core.runs.send(id, 'go')).ok).toBe(true);
    await stopped;
    await harness.core.runs.settle();
    const reply = (await harness.messages(id)).find((message) => message.role === 'assistant');
    expect(reply?.status).toBe('stopped');
  });

  it('deleting a conversation during a run stops it and leaves nothing behind', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-slow:tokens=200:delay=10');
    await harness.core.runs.send(id, 'go');
    await harness.waitForEvent((event) => isDelta(event) && event.seq >= 1);
    expect((await harness.core.conversations.delete(id)).ok).toBe(true);
    await harness.core.runs.settle();
    expect(await harness.core.repository.getConversation(id)).toBeUndefined();
    expect(await harness.messages(id)).toEqual([]);
    expect(harness.events.some((event) => event.type === 'conversation-delete' && event.conversationId === id)).toBe(true);
    const request = harness.mock.chatRequests()[0];
    await request.done;
    expect(request.aborted).toBe(true);
  });
});

describe('sessions', () => {
  it('are reference counted; the last viewer leaving never stops a run', async () => {
    harness = await makeHarness();
    const id = await harness.conversation('mock-slow:tokens=30:delay=10');
    await harness.core.sessions.retain(id);
    await harness.core.sessions.retain(id);
    expect(harness.core.sessions.viewers(id)).toBe(2);
    await harness.core.runs.send(id, 'go');
    harness.core.sessions.release(id);
    harness.core.sessions.release(id);
    expect(harness.core.sessions.viewers(id)).toBe(0);
    await harness.core.runs.settle();
    expect((await harness.messages(id))[1].status).toBe('complete');
    // Dropped after the idle delay once nothing runs.
    await vi.waitFor(() => expect(harness.core.sessions.state(id)).toBeUndefined(), { timeout: 1000 });
  });

  it('new conversations start with the default title and the active model', async () => {
    harness = await makeHarness();
    await harness.core.catalog.updateSettings({ activeProviderId: harness.providerId, activeModelId: 'mock-fast' });
    const created = await harness.core.conversations.create();
    expect(created.ok && created.value).toMatchObject({
      title: NEW_CHAT_TITLE,
      providerId: harness.providerId,
      modelId: 'mock-fast',
    });
  });

  it('remembers recently used models, most recent first, at most ten', async () => {
    harness = await makeHarness();
    for (let index = 0; index < 12; index++) await harness.core.catalog.noteModelUsed(harness.providerId, `model-${index}`);
    const settings = await harness.core.catalog.settings();
    expect(settings.recentModels).toHaveLength(10);
    expect(settings.recentModels[0]).toBe(`${harness.providerId}/model-11`);
    expect(settings.activeModelId).toBe('model-11');
  });
});
