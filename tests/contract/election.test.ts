/**
 * Without SharedWorker: tabs elect one leader with a Web Lock, only the leader's core runs, and
 * the others reach it through the relay (BroadcastChannel links carrying MessagePorts). Node has
 * BroadcastChannel and MessageChannel; the locks are in-memory, with a browser's rules.
 */
import 'fake-indexeddb/auto';
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectThroughLeader } from '../../src/client/election/connect-through-leader';
import type { ReconnectingClient } from '../../src/client/reconnecting-client';
import { coreLockName, tabLockName } from '../../src/shared/locks';
import type { CoreEvent, Message } from '../../src/shared/protocol';
import { Core } from '../../src/worker/core';
import { TabSession } from '../../src/worker/session/tab-session';
import { FakeLocks, type FakeLockHolder } from '../fixtures/fake-locks';
import { replyTextFor, startMockLlm, type MockLlm } from '../fixtures/mock-llm';
import { FAST_TIMINGS, uniqueDatabaseName } from '../session/harness';

/** One simulated tab: its locks, its client, what it received, and its core if it leads. */
interface Tab {
  name: string;
  holder: FakeLockHolder;
  client: ReconnectingClient;
  leading: Promise<void>;
  events: CoreEvent[];
  core?: Core;
  /** The locks of its dedicated worker, which runs the core (when it leads). */
  worker?: FakeLockHolder;
}

let mock: MockLlm | undefined;
let locks: FakeLocks;
let buildId: string;
let databaseName: string;
const tabs: Tab[] = [];
/** Names of the tabs that started a core, in order. */
let coresStarted: string[] = [];
let conversationIds = new Set<string>();

afterEach(async () => {
  for (const tab of tabs.splice(0)) {
    for (const conversation of (await tab.core?.repository.listConversations()) ?? []) await tab.core?.runs.stop(conversation.id);
    await tab.client.close();
    tab.holder.kill();
    killWorker(tab);
  }
  await mock?.close();
  mock = undefined;
});

function setUp(): void {
  locks = new FakeLocks();
  // Channel names carry the build: a build of its own per test keeps tests apart.
  buildId = `test-${Math.random().toString(36).slice(2)}`;
  databaseName = uniqueDatabaseName();
  coresStarted = [];
  conversationIds = new Set();
}

/** Open a tab the way connect.ts does without SharedWorker: its own lock, then the election. */
async function openTab(name: string): Promise<Tab> {
  const holder = locks.tab();
  const lockName = tabLockName(name);
  void holder.locks.request(lockName, () => new Promise<never>(() => undefined));
  const events: CoreEvent[] = [];
  const tab: Partial<Tab> = { name, holder, events };
  const elected = await connectThroughLeader({
    identity: { tabId: name, lockName, buildId },
    locks: holder.locks,
    // The leader's dedicated worker, in-process, with locks of its own, as dedicated-worker.ts.
    startCore: () => {
      coresStarted.push(name);
      const worker = locks.tab();
      tab.worker = worker;
      void worker.locks.request(coreLockName(buildId), () => new Promise<never>(() => undefined));
      const core = Core.start({ buildId, databaseName, locks: worker.locks, timings: FAST_TIMINGS, idleMs: 50 });
      void core.then((started) => (tab.core = started));
      return { connect: (port) => Comlink.expose(new TabSession(core), port as unknown as Comlink.Endpoint) };
    },
  });
  elected.client.events$.subscribe((event) => events.push(event));
  Object.assign(tab, elected);
  tabs.push(tab as Tab);
  return tab as Tab;
}

/**
 * The tab dies the way a closed or crashed tab does: its relay and links stop, its core stops
 * writing (the provider request dies with the worker), and every lock it held is released.
 */
function kill(tab: Tab, options: { workerLingers?: boolean } = {}): void {
  tabs.splice(tabs.indexOf(tab), 1);
  void tab.client.close();
  for (const conversationId of conversationIds) tab.core?.runs.run(conversationId)?.discard();
  tab.holder.kill();
  if (!options.workerLingers) killWorker(tab);
}

/** The tab's worker goes (with its tab, or a moment after it). */
function killWorker(tab: Tab): void {
  tab.worker?.kill();
  tab.core?.repository.close();
}

async function conversationOn(tab: Tab, modelId: string): Promise<string> {
  mock ??= await startMockLlm();
  const saved = await tab.client.api.saveProvider({ presetId: 'custom', name: 'Mock', baseURL: mock.url });
  if (!saved.ok) throw new Error(saved.error.message);
  const created = await tab.client.api.createConversation({ providerId: saved.value.id, modelId });
  if (!created.ok) throw new Error(created.error.message);
  conversationIds.add(created.value.id);
  return created.value.id;
}

function lastReply(messages: Message[]): Message {
  return messages.filter((message) => message.role === 'assistant').at(-1)!;
}

function ended(tab: Tab, messageId: string): Promise<void> {
  return vi.waitFor(
    () => {
      if (!tab.events.some((event) => event.type === 'message-end' && event.message.id === messageId))
        throw new Error('not ended');
    },
    { timeout: 10_000, interval: 10 },
  );
}

describe('leader election without SharedWorker', () => {
  it('one leader at a time: the first tab leads, the others follow, and one core serves them all', async () => {
    setUp();
    const first = await openTab('first');
    const second = await openTab('second');
    const third = await openTab('third');
    await first.leading;

    expect(coresStarted).toEqual(['first']);
    expect(locks.held().filter((name) => name.startsWith('parley-leader-'))).toEqual([`parley-leader-${buildId}`]);
    // A follower's change reaches every tab, and every tab reads it back from the one core.
    const created = await second.client.api.createConversation({ title: 'From a follower' });
    if (!created.ok) throw new Error(created.error.message);
    for (const tab of [first, second, third]) {
      await vi.waitFor(() => expect(tab.events).toContainEqual({ type: 'conversation-upsert', conversation: created.value }));
      expect((await tab.client.api.listConversations()).map((conversation) => conversation.id)).toEqual([created.value.id]);
    }
  });

  it('a follower gets a working ChatCoreApi through the relay: its reply streams to every tab as ordered deltas', async () => {
    setUp();
    const leader = await openTab('leader');
    const follower = await openTab('follower');
    const model = 'mock-slow:tokens=40:delay=3';
    const conversationId = await conversationOn(follower, model);
    await leader.client.api.openSession(conversationId);
    await follower.client.api.openSession(conversationId);

    const sent = await follower.client.api.sendMessage(conversationId, 'Hello');
    if (!sent.ok) throw new Error(sent.error.message);
    await Promise.all([ended(leader, sent.value.assistantMessageId), ended(follower, sent.value.assistantMessageId)]);

    for (const tab of [leader, follower]) {
      const deltas = tab.events.filter((event) => event.type === 'message-delta');
      expect(deltas.map((event) => event.seq)).toEqual(deltas.map((_event, index) => index + 1));
      expect(deltas.map((event) => event.text).join('')).toBe(replyTextFor(model));
    }
    expect(coresStarted).toEqual(['leader']);
  });

  it('two followers sending at the same moment get exactly one run', async () => {
    setUp();
    await openTab('leader');
    const one = await openTab('one');
    const two = await openTab('two');
    const conversationId = await conversationOn(one, 'mock-slow:tokens=20:delay=3');

    const results = await Promise.all([
      one.client.api.sendMessage(conversationId, 'A'),
      two.client.api.sendMessage(conversationId, 'B'),
    ]);

    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toMatchObject({ ok: false, error: { kind: 'busy' } });
  });

  it('a follower that dies releases its sessions in the leader’s core', async () => {
    setUp();
    const leader = await openTab('leader');
    const follower = await openTab('follower');
    const conversationId = await conversationOn(follower, 'mock-fast');
    await follower.client.api.openSession(conversationId);
    await leader.leading;
    expect(leader.core!.sessions.viewers(conversationId)).toBe(1);

    // No detach: only its lock goes, as when a renderer crashes.
    tabs.splice(tabs.indexOf(follower), 1);
    follower.holder.kill();

    await vi.waitFor(() => expect(leader.core!.sessions.viewers(conversationId)).toBe(0));
  });

  it('the next leader starts its core only once the old leader’s worker has let go of the core lock: a build never runs two', async () => {
    setUp();
    const leader = await openTab('leader');
    const next = await openTab('next');
    await leader.leading;

    kill(leader, { workerLingers: true });
    await vi.waitFor(() => expect(locks.held()).toContain(`parley-leader-${buildId}`));
    expect(coresStarted).toEqual(['leader']);

    killWorker(leader);
    await next.leading;
    expect(coresStarted).toEqual(['leader', 'next']);
  });

  it('the leader dies mid-reply: the next tab leads within the lock’s hand-over, the reply shows interrupted, and Resume finishes the same message; the other follower reconnects by itself', async () => {
    setUp();
    const leader = await openTab('leader');
    const next = await openTab('next');
    const viewer = await openTab('viewer');
    const model = 'mock-slow:tokens=300:delay=5';
    const conversationId = await conversationOn(next, model);
    await viewer.client.api.openSession(conversationId);
    const sent = await next.client.api.sendMessage(conversationId, 'Go');
    if (!sent.ok) throw new Error(sent.error.message);
    const messageId = sent.value.assistantMessageId;
    await vi.waitFor(() => expect(viewer.events.filter((event) => event.type === 'message-delta').length).toBeGreaterThan(20));
    await vi.waitFor(async () => expect(lastReply(await viewer.client.api.listMessages(conversationId)).content).not.toBe(''));
    const before = viewer.events.length;

    kill(leader);

    await next.leading;
    expect(coresStarted).toEqual(['leader', 'next']);
    // The viewer's client re-opened its session on the new core: a snapshot with no reply running.
    await vi.waitFor(() =>
      expect(viewer.events.slice(before)).toContainEqual(
        expect.objectContaining({
          type: 'session-snapshot',
          session: expect.objectContaining({ conversationId, streaming: null }),
        }),
      ),
    );
    const kept = lastReply(await viewer.client.api.listMessages(conversationId));
    expect(kept).toMatchObject({ id: messageId, status: 'interrupted' });
    expect(replyTextFor(model).startsWith(kept.content)).toBe(true);
    // The saved row reached the viewer too: it shows what Resume continues from, not the dead
    // core's last deltas after its last checkpoint.
    expect(viewer.events.slice(before)).toContainEqual({ type: 'message-upsert', conversationId, message: kept });

    const resumed = await viewer.client.api.resumeGeneration(conversationId);
    expect(resumed).toMatchObject({ ok: true, value: { assistantMessageId: messageId } });
    await ended(viewer, messageId);
    const finished = lastReply(await next.client.api.listMessages(conversationId));
    expect(finished).toMatchObject({ id: messageId, status: 'complete', content: replyTextFor(model) });
  });
});
