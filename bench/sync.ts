/**
 * 8. Sync (issue 17): a first sync of 10,000 messages to a fresh device, in real Chromium against
 * pouchdb-server on loopback (tests/fixtures/sync-server.ts, the server the browser tests use).
 *
 * Device A holds 10,000 messages of chat-like text in 200 conversations (seeded straight into
 * IndexedDB) and turns sync on: its upload is timed once. Then, each run, a fresh browser profile
 * (device B) turns sync on with the same database and passphrase, and is timed from the call to
 * every message in its own store with sync idle. Meanwhile a 5 ms timer in B's worker records
 * its worst delay (what a streaming reply there would wait), and B's storage grows by its copy of
 * the history plus the mirror (`navigator.storage.estimate`).
 *
 * Both sides pay PBKDF2 (600,000 iterations) once at the start; the figures include it.
 */
import type { Page } from '@playwright/test';
import { SYNC_LOGIN, startSyncServer } from '../tests/fixtures/sync-server';
import { callApi, openApp } from './lib/app';
import { newContext, WorkerSession } from './lib/browser';
import { range, type BenchEnv } from './lib/env';
import { seedCorpus, type CorpusSeed } from './lib/seed-corpus';
import { medianOfRuns, round } from './lib/stats';
import { LAG_MONITOR } from './lib/worker-lag';

export const SYNC_PLAN = { conversations: 200, messages: 10_000 } as const;
const PASSPHRASE = 'bench passphrase, long enough';

export interface SyncRun {
  /** enableSync called → every message in B's store and sync idle (ms). */
  firstSyncMs: number;
  /** Of which: enableSync's answer (server checked, keys derived, config stored) (ms). */
  connectMs: number;
  /** The worst delay of a 5 ms timer in B's worker meanwhile (ms). */
  longestWorkerTaskMs: number;
  /** B's storage after the sync minus before (its history and the mirror) (bytes). */
  storageBytes: number;
}

export interface SyncResult {
  plan: typeof SYNC_PLAN;
  seed: CorpusSeed;
  /** A turns sync on → idle, everything uploaded (ms). */
  uploadMs: number;
  /** The server's database after the upload: documents and bytes on disk as it reports them. */
  server: { documents: number; bytes: number };
  median: SyncRun;
  runs: SyncRun[];
}

type SyncState = { state: string };

/** In the page: until sync is idle and the store holds `expected` messages; ms since `started`. */
function waitForSynced({ expected, started }: { expected: number; started: number }): Promise<number> {
  const api = (window as unknown as { __parleyBench: { api: { getSyncStatus(): Promise<SyncState> } } }).__parleyBench.api;
  const countMessages = () =>
    new Promise<number>((resolve, reject) => {
      const request = indexedDB.open('parley');
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const database = request.result;
        const counting = database.transaction('messages').objectStore('messages').count();
        counting.onsuccess = () => {
          database.close();
          resolve(counting.result);
        };
        counting.onerror = () => reject(counting.error);
      };
    });
  return new Promise((resolve, reject) => {
    const poll = async () => {
      try {
        const [status, messages] = await Promise.all([api.getSyncStatus(), countMessages()]);
        if (status.state === 'error') throw new Error(`sync failed: ${JSON.stringify(status)}`);
        if (status.state === 'idle' && messages >= expected) resolve(performance.now() - started);
        else setTimeout(poll, 100);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    void poll();
  });
}

const usage = (page: Page) => page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);

async function turnOn(page: Page, url: string): Promise<{ started: number; connectMs: number }> {
  const started = await page.evaluate(() => performance.now());
  const setup = { url, ...SYNC_LOGIN, passphrase: PASSPHRASE };
  const result = await callApi<{ ok: boolean; error?: { message: string } }>(page, 'enableSync', setup);
  if (!result.ok) throw new Error(`bench: enableSync failed: ${result.error?.message}`);
  const connectMs = (await page.evaluate(() => performance.now())) - started;
  return { started, connectMs };
}

async function freshDevice(env: BenchEnv, url: string, expected: number): Promise<SyncRun> {
  const context = await newContext(env.browser);
  try {
    const page = await context.newPage();
    await openApp(page, env.appUrl, '/settings');
    const before = await usage(page);
    const worker = await WorkerSession.attach(env.browser, page);
    try {
      await worker.evaluate(LAG_MONITOR);
      const { started, connectMs } = await turnOn(page, url);
      const firstSyncMs = await page.evaluate(waitForSynced, { expected, started });
      const longestWorkerTaskMs = await worker.evaluate<number>('globalThis.__benchLag.worst');
      await worker.evaluate('clearInterval(globalThis.__benchLag.timer)');
      return {
        firstSyncMs: round(firstSyncMs),
        connectMs: round(connectMs),
        longestWorkerTaskMs: round(longestWorkerTaskMs),
        storageBytes: (await usage(page)) - before,
      };
    } finally {
      await worker.detach();
    }
  } finally {
    await context.close();
  }
}

export async function measureSync(env: BenchEnv): Promise<SyncResult> {
  const server = await startSyncServer();
  const context = await newContext(env.browser);
  try {
    const url = await server.createDatabase('parley-bench');
    const page = await context.newPage();
    await openApp(page, env.appUrl, '/settings');
    await page.goto(`${env.appUrl}/__bench/blank.html`);
    const seed = await seedCorpus(page, SYNC_PLAN);
    env.log(`sync: device A seeded with ${seed.conversations} conversations, ${seed.messages} messages`);
    await openApp(page, env.appUrl, '/settings');
    const { started } = await turnOn(page, url);
    const uploadMs = round(await page.evaluate(waitForSynced, { expected: seed.messages, started }));
    const login = `Basic ${btoa(`${SYNC_LOGIN.username}:${SYNC_LOGIN.password}`)}`;
    const info = (await (await fetch(url, { headers: { authorization: login } })).json()) as {
      doc_count: number;
      disk_size?: number;
      sizes?: { file?: number };
    };
    const serverInfo = { documents: info.doc_count, bytes: info.sizes?.file ?? info.disk_size ?? 0 };
    env.log(`sync: A uploaded everything in ${(uploadMs / 1000).toFixed(1)} s (${serverInfo.documents} documents on the server)`);

    const runs: SyncRun[] = [];
    for (const run of range(env.runs)) {
      const result = await freshDevice(env, url, seed.messages);
      env.log(
        `sync run ${run + 1}: a fresh device has all ${seed.messages} messages in ${(result.firstSyncMs / 1000).toFixed(1)} s ` +
          `(connect ${result.connectMs.toFixed(0)} ms; longest worker task ${result.longestWorkerTaskMs.toFixed(0)} ms; ` +
          `${(result.storageBytes / 1e6).toFixed(1)} MB stored)`,
      );
      runs.push(result);
    }
    return { plan: SYNC_PLAN, seed, uploadMs, server: serverInfo, median: medianOfRuns(runs), runs };
  } finally {
    await context.close();
    await server.close();
  }
}
