/**
 * Startup recovery (`streaming` → `interrupted`) runs only in the core holding the database's
 * writer lock: one rule for both entries, since two cores can run side by side over one
 * database (two builds' SharedWorkers; the old and the new leader's worker a moment apart).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CoreEvent, Message } from '../../src/shared/protocol';
import { Core } from '../../src/worker/core';
import { FakeLocks } from '../fixtures/fake-locks';
import { FAST_TIMINGS, makeHarness, type Harness } from './harness';

const LONG_REPLY = 'mock-slow:tokens=400:delay=10';

let harness: Harness | undefined;
let beside: Core | undefined;

afterEach(async () => {
  for (const core of [beside, harness?.core]) {
    if (!core) continue;
    for (const conversation of await core.repository.listConversations()) await core.runs.stop(conversation.id);
  }
  beside?.repository.close();
  await harness?.close();
  harness = beside = undefined;
});

async function reply(core: Core, conversationId: string): Promise<Message> {
  const messages = await core.repository.listMessages(conversationId);
  return messages.at(-1)!;
}

async function sendLongReply(core: Core, providerId: string): Promise<string> {
  const created = await core.conversations.create({ providerId, modelId: LONG_REPLY });
  if (!created.ok) throw new Error(created.error.message);
  const sent = await core.runs.send(created.value.id, 'Go');
  if (!sent.ok) throw new Error(sent.error.message);
  return created.value.id;
}

describe('recovery at start', () => {
  it('a core that finds the writer lock free marks replies left streaming interrupted before it serves', async () => {
    const locks = new FakeLocks();
    const first = locks.tab();
    harness = await makeHarness({ locks: first.locks });
    const conversationId = await sendLongReply(harness.core, harness.providerId);
    // The core dies mid-reply: nothing more is written, its locks are released.
    harness.core.runs.run(conversationId)?.discard();
    first.kill();

    beside = await Core.start({
      buildId: 'test',
      databaseName: harness.databaseName,
      locks: locks.tab().locks,
      timings: FAST_TIMINGS,
    });

    expect(await reply(beside, conversationId)).toMatchObject({ status: 'interrupted' });
  });

  it('a core started beside a live one leaves that core’s reply alone; once it is gone, marks it interrupted, spares its own, and tells the viewers', async () => {
    const locks = new FakeLocks();
    const first = locks.tab();
    harness = await makeHarness({ locks: first.locks });
    const theirs = await sendLongReply(harness.core, harness.providerId);

    const second = locks.tab();
    beside = await Core.start({
      buildId: 'other',
      databaseName: harness.databaseName,
      locks: second.locks,
      timings: FAST_TIMINGS,
    });
    const events: CoreEvent[] = [];
    beside.bus.events$.subscribe(({ event }) => events.push(event));
    // Served at once, without touching the live core's reply.
    expect(await reply(beside, theirs)).toMatchObject({ status: 'streaming' });
    const ours = await sendLongReply(beside, harness.providerId);

    // The first core dies mid-reply: nothing more is written, its locks are released.
    harness.core.runs.run(theirs)?.discard();
    first.kill();

    await vi.waitFor(async () => expect(await reply(beside!, theirs)).toMatchObject({ status: 'interrupted' }));
    const interrupted = await reply(beside, theirs);
    expect(events).toContainEqual({ type: 'message-upsert', conversationId: theirs, message: interrupted });
    expect(await reply(beside, ours)).toMatchObject({ status: 'streaming' });
    expect(beside.runs.isBusy(ours)).toBe(true);
    expect(locks.held()).toContain('parley-writer-' + harness.databaseName);
  });
});
