/**
 * 4. Storage: the IndexedDB writes the core makes during one 4,000-token reply (every
 * read-write transaction, counted in the worker through CDP), against the design's bound of
 * one checkpoint per 250 ms plus a constant; and how long saving the finished reply takes.
 */
import { addMockProvider, createConversation, openApp, openConversation, sendMessage, waitForLastReply } from './lib/app';
import { newContext, WorkerSession } from './lib/browser';
import { range, type BenchEnv } from './lib/env';
import { medianOfRuns } from './lib/stats';
import { readWorkerCounters, resetWorkerCounters } from './lib/worker-probe';

export const STORAGE_MODEL = 'mock-slow:tokens=4000:delay=1';
const CHECKPOINT_INTERVAL_MS = 250;

export interface StorageRun {
  /** First token to last token, as the mock wrote them (ms). */
  streamMs: number;
  /** Every read-write transaction from the send to the saved reply. */
  writes: number;
  /** Of which partial-text checkpoints (the `messages` store alone). */
  checkpoints: number;
  /** ceil(streamMs / 250) + 1: the most checkpoints the design allows. */
  checkpointBound: number;
  /** The rest: the run's start, its end, settings (recent models). */
  otherWrites: number;
  /** The final transaction (message + conversation totals): created → committed (ms). */
  saveMs: number;
  /** The last token leaving the mock → the final transaction committed (ms). */
  lastTokenToSavedMs: number;
}

async function storageOnce(env: BenchEnv): Promise<StorageRun> {
  const context = await newContext(env.browser);
  try {
    const page = await context.newPage();
    await openApp(page, env.appUrl);
    const providerId = await addMockProvider(page, env.mock.url);
    const conversationId = await createConversation(page, providerId, STORAGE_MODEL, 'Storage');
    await openConversation(page, env.appUrl, conversationId);
    const worker = await WorkerSession.attach(env.browser, page);
    await resetWorkerCounters(worker);
    const requestsBefore = env.mock.requests.length;
    await sendMessage(page, conversationId, 'Write 4,000 tokens, please.');
    await waitForLastReply(page, 'complete');
    const { writes } = await readWorkerCounters(worker);
    await worker.detach();
    const request = env.mock.requests.slice(requestsBefore).find((entry) => entry.model === STORAGE_MODEL);
    if (!request?.finishedAt) throw new Error('storage: the mock did not log the reply');

    const checkpoints = writes.filter((write) => write.stores === 'messages');
    // The run's start (with the attachments store since schema v4) and its end.
    const finals = writes.filter((write) => write.stores.startsWith('conversations+messages'));
    const save = finals.at(-1);
    if (!save || finals.length < 2) throw new Error('storage: no start and end transactions seen');
    const streamMs = request.finishedAt - request.startedAt;
    return {
      streamMs,
      writes: writes.length,
      checkpoints: checkpoints.length,
      checkpointBound: Math.ceil(streamMs / CHECKPOINT_INTERVAL_MS) + 1,
      otherWrites: writes.length - checkpoints.length,
      saveMs: save.endedAt - save.startedAt,
      lastTokenToSavedMs: save.endedAt - request.finishedAt,
    };
  } finally {
    await context.close();
  }
}

export interface StorageResult {
  model: string;
  median: StorageRun;
  runs: StorageRun[];
}

export async function measureStorage(env: BenchEnv): Promise<StorageResult> {
  const runs: StorageRun[] = [];
  for (const run of range(env.runs)) {
    const result = await storageOnce(env);
    env.log(
      `storage run ${run + 1}: ${result.writes} writes (${result.checkpoints} checkpoints, bound ${result.checkpointBound}) over ${result.streamMs} ms, ` +
        `save ${result.saveMs.toFixed(1)} ms`,
    );
    runs.push(result);
  }
  return { model: STORAGE_MODEL, median: medianOfRuns(runs), runs };
}
