import 'fake-indexeddb/auto';
import type { CoreEvent, Message, PresetId } from '../../src/shared/protocol';
import { Core, type CoreOptions } from '../../src/worker/core';
import { startMockLlm, type MockLlm } from '../fixtures/mock-llm';

let databaseCounter = 0;

/** A unique database name per core, so tests never share state. */
export function uniqueDatabaseName(prefix = 'parley-test'): string {
  databaseCounter += 1;
  return `${prefix}-${process.pid}-${databaseCounter}-${Date.now()}`;
}

/** Timings short enough for tests; behaviour unchanged. */
export const FAST_TIMINGS: CoreOptions['timings'] = {
  batchIntervalMs: 16,
  checkpointIntervalMs: 250,
  retryBaseMs: 10,
  stallTimeoutMs: 400,
  reachabilityBaseMs: 50,
  reachabilityMaxMs: 200,
};

export interface Harness {
  core: Core;
  databaseName: string;
  mock: MockLlm;
  providerId: string;
  events: CoreEvent[];
  /** A new conversation on the given mock model. */
  conversation(modelId: string): Promise<string>;
  messages(conversationId: string): Promise<Message[]>;
  /** Resolve when an event matching `predicate` has been emitted (or already was). */
  waitForEvent<T extends CoreEvent>(predicate: (event: CoreEvent) => event is T, timeoutMs?: number): Promise<T>;
  waitForEvent(predicate: (event: CoreEvent) => boolean, timeoutMs?: number): Promise<CoreEvent>;
  close(): Promise<void>;
}

/** A core on a fresh database with one provider pointing at a fresh mock server. */
export async function makeHarness(options: Partial<CoreOptions> & { mock?: MockLlm; preset?: PresetId } = {}): Promise<Harness> {
  const mock = options.mock ?? (await startMockLlm());
  const databaseName = options.databaseName ?? uniqueDatabaseName();
  const core = await Core.start({ buildId: 'test', timings: FAST_TIMINGS, idleMs: 50, ...options, databaseName });
  const events: CoreEvent[] = [];
  const waiters = new Set<() => void>();
  core.bus.events$.subscribe(({ event }) => {
    events.push(event);
    for (const waiter of [...waiters]) waiter();
  });
  // Any preset can point at the mock: the preset decides how Parley talks to it (resume style).
  const saved = await core.catalog.saveProvider({
    presetId: options.preset ?? 'custom',
    name: 'Mock',
    baseURL: mock.url,
    ...(options.preset && options.preset !== 'custom' ? { apiKey: 'sk-mock-key' } : {}),
  });
  if (!saved.ok) throw new Error(saved.error.message);
  const providerId = saved.value.id;

  function waitForEvent(predicate: (event: CoreEvent) => boolean, timeoutMs = 5000): Promise<CoreEvent> {
    const found = events.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error('timed out waiting for an event'));
      }, timeoutMs);
      const check = () => {
        const match = events.find(predicate);
        if (!match) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(match);
      };
      waiters.add(check);
    });
  }

  return {
    core,
    databaseName,
    mock,
    providerId,
    events,
    async conversation(modelId) {
      const created = await core.conversations.create({ providerId, modelId });
      if (!created.ok) throw new Error(created.error.message);
      return created.value.id;
    },
    messages: (conversationId) => core.repository.listMessages(conversationId),
    waitForEvent: waitForEvent as Harness['waitForEvent'],
    async close() {
      await core.runs.settle();
      await core.sync.pause();
      core.repository.close();
      if (!options.mock) await mock.close();
    },
  };
}

/** The concatenated text of every delta a list of events carries for one message. */
export function deltaText(events: CoreEvent[], messageId: string): string {
  return events
    .filter((event) => event.type === 'message-delta' && event.messageId === messageId)
    .map((event) => (event.type === 'message-delta' ? event.text : ''))
    .join('');
}
