import 'fake-indexeddb/auto';
import * as Comlink from 'comlink';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeCoreClient, type CoreClient } from '../../src/client/core-client';
import type { ConversationUpsertEvent, CoreEvent, FinalMessage } from '../../src/shared/protocol';
import { Core } from '../../src/worker/core';
import { TabSession } from '../../src/worker/session/tab-session';
import { FakeLocks } from '../fixtures/fake-locks';
import { replyTextFor, startMockLlm, type MockLlm } from '../fixtures/mock-llm';
import { FAST_TIMINGS, uniqueDatabaseName } from '../session/harness';

/** One simulated tab: its own port to the core, its lock, and what it has received. */
interface Tab {
  client: CoreClient;
  session: TabSession;
  events: CoreEvent[];
  kill: () => void;
}

let mock: MockLlm;
let core: Core;
let locks: FakeLocks;
const tabs: Tab[] = [];

afterEach(async () => {
  for (const tab of tabs.splice(0)) await tab.client.close().catch(() => undefined);
  await core?.runs.settle();
  core?.repository.close();
  await mock?.close();
});

async function start(): Promise<{ providerId: string }> {
  mock = await startMockLlm();
  locks = new FakeLocks();
  core = await Core.start({ buildId: 'test', databaseName: uniqueDatabaseName(), locks, timings: FAST_TIMINGS, idleMs: 50 });
  const saved = await core.catalog.saveProvider({ presetId: 'custom', name: 'Mock', baseURL: mock.url });
  if (!saved.ok) throw new Error(saved.error.message);
  return { providerId: saved.value.id };
}

/** Connect a tab the way a SharedWorker `connect` does: a TabSession exposed on a fresh port. */
async function openTab(name: string): Promise<Tab> {
  const channel = new MessageChannel();
  const session = new TabSession(Promise.resolve(core));
  Comlink.expose(session, channel.port1 as unknown as Comlink.Endpoint);
  const lockName = `tab-${name}`;
  const kill = locks.hold(lockName);
  const client = await makeCoreClient(channel.port2 as unknown as Comlink.Endpoint, { tabId: name, lockName, buildId: 'test' });
  const events: CoreEvent[] = [];
  client.events$.subscribe((event) => events.push(event));
  const tab = { client, session, events, kill };
  tabs.push(tab);
  return tab;
}

/** What a tab would show for a message: snapshot text, then every in-order delta. */
function reconstruct(events: CoreEvent[], messageId: string): { text: string; seqs: number[] } {
  let text = '';
  let lastSeq = 0;
  const seqs: number[] = [];
  for (const event of events) {
    if (event.type === 'session-snapshot' && event.session.streaming?.messageId === messageId) {
      text = event.session.streaming.content;
      lastSeq = event.session.streaming.seq;
    } else if (event.type === 'message-start' && event.message.id === messageId) {
      text = event.message.content;
    } else if (event.type === 'message-delta' && event.messageId === messageId) {
      if (event.seq <= lastSeq) continue;
      expect(event.seq).toBe(lastSeq + 1);
      lastSeq = event.seq;
      seqs.push(event.seq);
      text += event.text;
    }
  }
  return { text, seqs };
}

function ended(tab: Tab, messageId: string): Promise<FinalMessage> {
  return vi.waitFor(
    () => {
      const end = tab.events.find((event) => event.type === 'message-end' && event.message.id === messageId);
      if (!end || end.type !== 'message-end') throw new Error('not ended yet');
      return end.message;
    },
    { timeout: 5000, interval: 10 },
  );
}

describe('the Comlink contract, two tabs', () => {
  it('both tabs receive the same ordered deltas, adding up to exactly the stored text', async () => {
    const { providerId } = await start();
    const model = 'mock-slow:tokens=60:delay=3';
    const a = await openTab('a');
    const b = await openTab('b');
    const created = await a.client.api.createConversation({ providerId, modelId: model });
    if (!created.ok) throw new Error('create failed');
    const id = created.value.id;
    await a.client.api.openSession(id);
    await b.client.api.openSession(id);
    const sent = await b.client.api.sendMessage(id, 'hi');
    if (!sent.ok) throw new Error(sent.error.message);
    const messageId = sent.value.assistantMessageId;

    const [endA, endB] = await Promise.all([ended(a, messageId), ended(b, messageId)]);
    const stored = (await a.client.api.listMessages(id)).find((message) => message.id === messageId)!;
    expect(stored.content).toBe(replyTextFor(model));
    // The end carries no text (the deltas did), only its length to check against.
    expect(endA).not.toHaveProperty('content');
    expect(endA.contentLength).toBe(stored.content.length);
    expect(endB.contentLength).toBe(stored.content.length);

    const seenA = reconstruct(a.events, messageId);
    const seenB = reconstruct(b.events, messageId);
    expect(seenA.text).toBe(stored.content);
    expect(seenB.text).toBe(stored.content);
    expect(seenA.seqs).toEqual(seenB.seqs);
    // Nothing resent: the deltas alone are the reply, byte for byte.
    const deltaBytes = a.events
      .filter((event) => event.type === 'message-delta' && event.messageId === messageId)
      .reduce((sum, event) => sum + (event.type === 'message-delta' ? event.text.length : 0), 0);
    expect(deltaBytes).toBe(stored.content.length);
  });

  it('a late joiner reconstructs the exact text from snapshot plus deltas', async () => {
    const { providerId } = await start();
    const model = 'mock-slow:tokens=80:delay=5';
    const a = await openTab('a');
    const created = await a.client.api.createConversation({ providerId, modelId: model });
    if (!created.ok) throw new Error('create failed');
    const id = created.value.id;
    await a.client.api.openSession(id);
    const sent = await a.client.api.sendMessage(id, 'hi');
    if (!sent.ok) throw new Error('send failed');
    const messageId = sent.value.assistantMessageId;
    await vi.waitFor(() => expect(reconstruct(a.events, messageId).seqs.length).toBeGreaterThanOrEqual(5));

    const late = await openTab('late');
    await late.client.api.openSession(id);
    const snapshot = await vi.waitFor(() => {
      const event = late.events.find((candidate) => candidate.type === 'session-snapshot');
      if (!event || event.type !== 'session-snapshot') throw new Error('no snapshot yet');
      return event;
    });
    expect(snapshot.session.streaming?.content.length).toBeGreaterThan(0);
    expect(core.sessions.viewers(id)).toBe(2);

    await ended(late, messageId);
    expect(reconstruct(late.events, messageId).text).toBe(replyTextFor(model));
  });

  it('a hidden tab gets no deltas; shown again, a snapshot then the deltas after it, adding up to the stored text', async () => {
    const { providerId } = await start();
    const model = 'mock-slow:tokens=120:delay=4';
    const front = await openTab('front');
    const behind = await openTab('behind');
    const created = await front.client.api.createConversation({ providerId, modelId: model });
    if (!created.ok) throw new Error('create failed');
    const id = created.value.id;
    await front.client.api.openSession(id);
    await behind.client.api.openSession(id);
    const sent = await front.client.api.sendMessage(id, 'hi');
    if (!sent.ok) throw new Error('send failed');
    const messageId = sent.value.assistantMessageId;
    await vi.waitFor(() => expect(reconstruct(behind.events, messageId).seqs.length).toBeGreaterThanOrEqual(3));

    await behind.client.api.setHidden(true);
    const deltasBefore = behind.events.filter((event) => event.type === 'message-delta').length;
    await vi.waitFor(() => expect(reconstruct(front.events, messageId).seqs.length).toBeGreaterThan(deltasBefore + 10));
    expect(behind.events.filter((event) => event.type === 'message-delta')).toHaveLength(deltasBefore);

    const snapshotsBefore = behind.events.filter((event) => event.type === 'session-snapshot').length;
    await behind.client.api.setHidden(false);
    await vi.waitFor(() =>
      expect(behind.events.filter((event) => event.type === 'session-snapshot')).toHaveLength(snapshotsBefore + 1),
    );
    await ended(behind, messageId);
    // `reconstruct` checks each delta follows the one before (or the snapshot) with no gap.
    expect(reconstruct(behind.events, messageId).text).toBe(replyTextFor(model));
  });

  it('a tab hidden until the reply ends gets it whole: its text, then its end', async () => {
    const { providerId } = await start();
    const model = 'mock-slow:tokens=60:delay=3';
    const front = await openTab('front');
    const behind = await openTab('behind');
    const created = await front.client.api.createConversation({ providerId, modelId: model });
    if (!created.ok) throw new Error('create failed');
    const id = created.value.id;
    await front.client.api.openSession(id);
    await behind.client.api.openSession(id);
    await behind.client.api.setHidden(true);
    const sent = await front.client.api.sendMessage(id, 'hi');
    if (!sent.ok) throw new Error('send failed');
    const messageId = sent.value.assistantMessageId;
    await ended(behind, messageId);
    expect(behind.events.some((event) => event.type === 'message-delta')).toBe(false);
    const isWhole = (event: CoreEvent) =>
      event.type === 'message-upsert' && event.message.id === messageId && event.message.status === 'complete';
    const whole = behind.events.findIndex(isWhole);
    const end = behind.events.findIndex((event) => event.type === 'message-end' && event.message.id === messageId);
    expect(whole).toBeGreaterThanOrEqual(0);
    expect(whole).toBeLessThan(end);
    const upsert = behind.events[whole];
    expect(upsert.type === 'message-upsert' && upsert.message.content).toBe(replyTextFor(model));
    // The tab in front got the deltas, as ever, and no second copy of the text.
    expect(front.events.some(isWhole)).toBe(false);
  });

  it('the first tab detaching does not stop the run', async () => {
    const { providerId } = await start();
    const model = 'mock-slow:tokens=60:delay=5';
    const a = await openTab('a');
    const b = await openTab('b');
    const created = await a.client.api.createConversation({ providerId, modelId: model });
    if (!created.ok) throw new Error('create failed');
    const id = created.value.id;
    await a.client.api.openSession(id);
    await b.client.api.openSession(id);
    const sent = await a.client.api.sendMessage(id, 'hi');
    if (!sent.ok) throw new Error('send failed');
    await vi.waitFor(() => expect(reconstruct(b.events, sent.value.assistantMessageId).seqs.length).toBeGreaterThan(2));
    await a.client.close();

    const end = await ended(b, sent.value.assistantMessageId);
    expect(end.status).toBe('complete');
    expect(reconstruct(b.events, sent.value.assistantMessageId).text).toBe(replyTextFor(model));
  });

  it('a released tab lock drops that tab’s references and listener', async () => {
    const { providerId } = await start();
    const a = await openTab('a');
    const b = await openTab('b');
    const created = await a.client.api.createConversation({ providerId, modelId: 'mock-slow:tokens=40:delay=5' });
    if (!created.ok) throw new Error('create failed');
    const id = created.value.id;
    await a.client.api.openSession(id);
    await b.client.api.openSession(id);
    expect(core.sessions.viewers(id)).toBe(2);
    const sent = await b.client.api.sendMessage(id, 'hi');
    if (!sent.ok) throw new Error('send failed');

    a.kill(); // the tab's renderer dies: no detach, only the lock goes
    await a.session.disposed;
    expect(core.sessions.viewers(id)).toBe(1);
    const end = await ended(b, sent.value.assistantMessageId);
    expect(end.status).toBe('complete');
    // Were the dead tab still subscribed, the core would have posted it the end before answering
    // this call: a round trip is the ordering point, not a sleep.
    await b.client.api.isOffline();
    expect(
      a.events.some((event) => event.type === 'message-end' || (event.type === 'run-status' && event.status === 'complete')),
    ).toBe(false);
  });

  it('broadcasts conversation changes to every tab', async () => {
    const { providerId } = await start();
    const a = await openTab('a');
    const b = await openTab('b');
    const created = await a.client.api.createConversation({ providerId, modelId: 'mock-fast' });
    if (!created.ok) throw new Error('create failed');
    await a.client.api.updateConversation(created.value.id, { title: 'Renamed' });
    await a.client.api.deleteConversation(created.value.id);
    await vi.waitFor(() => {
      const types = b.events.map((event) => event.type);
      expect(types).toContain('conversation-delete');
    });
    const renamed = b.events.find((event) => event.type === 'conversation-upsert' && event.conversation.title === 'Renamed');
    expect(renamed).toBeDefined();
  });

  it('two tabs agree on the branch shown after an edit in one and a switch in the other', async () => {
    const { providerId } = await start();
    const a = await openTab('a');
    const b = await openTab('b');
    const created = await a.client.api.createConversation({ providerId, modelId: 'mock-fast' });
    if (!created.ok) throw new Error('create failed');
    const id = created.value.id;
    await a.client.api.openSession(id);
    await b.client.api.openSession(id);
    /** The branch a tab would show: the last `activeLeafId` it heard of for this conversation. */
    const shownLeaf = (tab: Tab) =>
      tab.events
        .filter((event): event is ConversationUpsertEvent => event.type === 'conversation-upsert' && event.conversation.id === id)
        .at(-1)?.conversation.activeLeafId;

    const sent = await a.client.api.sendMessage(id, 'first');
    if (!sent.ok) throw new Error('send failed');
    await ended(b, sent.value.assistantMessageId);
    const edited = await a.client.api.editMessage(id, sent.value.userMessageId, 'first, edited');
    if (!edited.ok) throw new Error(edited.error.message);
    await ended(b, edited.value.assistantMessageId);
    await vi.waitFor(() => expect(shownLeaf(b)).toBe(edited.value.assistantMessageId));
    expect(shownLeaf(a)).toBe(edited.value.assistantMessageId);

    const switched = await b.client.api.switchBranch(id, sent.value.userMessageId);
    expect(switched.ok).toBe(true);
    await vi.waitFor(() => expect(shownLeaf(a)).toBe(sent.value.assistantMessageId));
    expect(shownLeaf(b)).toBe(sent.value.assistantMessageId);
    // Both can rebuild the whole tree from what they were sent: every message of both branches.
    expect((await b.client.api.listMessages(id)).map((message) => message.parentId)).toEqual([
      null,
      sent.value.userMessageId,
      null,
      edited.value.userMessageId,
    ]);
  });

  it('refuses a tab of another protocol version', async () => {
    await start();
    const channel = new MessageChannel();
    Comlink.expose(new TabSession(Promise.resolve(core)), channel.port1 as unknown as Comlink.Endpoint);
    const api = Comlink.wrap<TabSession>(channel.port2 as unknown as Comlink.Endpoint);
    const result = await api.attach({ tabId: 'x', lockName: '', buildId: 'test', protocolVersion: 999 });
    expect(result.ok).toBe(false);
    channel.port2.close();
  });
});
