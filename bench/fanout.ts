/**
 * 1. Fan-out: one 4,000-token reply watched by 1, 3 and 8 tabs. Per delta batch, the latency
 * from the core stamping it (`sentAt`) to a tab's store having applied it (and rendered it:
 * Solid updates the DOM synchronously inside the store write). Bytes crossing the ports per
 * reply, per tab, against the reply's own length.
 */
import { replyTextFor } from '../tests/fixtures/mock-llm';
import {
  addMockProvider,
  createConversation,
  listMessages,
  openApp,
  openConversation,
  readProbe,
  resetProbe,
  sendMessage,
  waitForLastReply,
} from './lib/app';
import { mainThreadTime, newContext, startMainThreadMetrics, timeBetween, WorkerSession } from './lib/browser';
import { range, type BenchEnv } from './lib/env';
import { max, median, medianOfRuns, percentile } from './lib/stats';
import { readTabCounters, readWorkerCounters, resetTabCounters, resetWorkerCounters } from './lib/worker-probe';

/** 4,000 tokens, about 1 ms apart: ~900 tokens/s, far above any real provider, so batches are full. */
export const FANOUT_MODEL = 'mock-slow:tokens=4000:delay=1';
export const TAB_COUNTS = [1, 3, 8] as const;

export interface FanOutRun {
  tabs: number;
  /** sentAt → applied, pooled over every tab's batches (ms). */
  latencyP50: number;
  latencyP95: number;
  latencyMax: number;
  /** The worst tab's p95 (ms). */
  worstTabP95: number;
  /** sentAt → the event reaching the store (ms): the port and Comlink. */
  transportP95: number;
  /** Store write + synchronous DOM update (ms). */
  applyP95: number;
  batchesPerTab: number;
  replyChars: number;
  /** Worker → tab bytes per tab for the whole reply (every event, Comlink envelope included). */
  bytesToTab: number;
  /** Tab → worker bytes per tab (Comlink acknowledges each event call). */
  bytesFromTab: number;
  /** (worker → tab + tab → worker) / reply length. */
  bytesRatio: number;
  messagesToTab: number;
  /** Tabs that missed a batch (seq gap) and asked for a snapshot. */
  tabsWithGaps: number;
  /** Main-thread busy time of one tab over the reply (median tab, ms), and the reply's duration. */
  tabBusyMs: number;
  replyMs: number;
}

async function fanOutOnce(env: BenchEnv, tabs: number): Promise<FanOutRun> {
  const context = await newContext(env.browser);
  try {
    const first = await context.newPage();
    await openApp(first, env.appUrl);
    const providerId = await addMockProvider(first, env.mock.url);
    const conversationId = await createConversation(first, providerId, FANOUT_MODEL, 'Fan-out');
    const pages = [first, ...(await Promise.all(range(tabs - 1).map(() => context.newPage())))];
    for (const page of pages) await openConversation(page, env.appUrl, conversationId);
    // Each tab opens its session one round trip after its messages load.
    await first.waitForTimeout(300);

    const worker = await WorkerSession.attach(env.browser, first);
    await resetWorkerCounters(worker);
    const metrics = [];
    for (const page of pages) {
      await resetProbe(page);
      await resetTabCounters(page);
      const cdp = await startMainThreadMetrics(page);
      metrics.push({ cdp, before: await mainThreadTime(cdp) });
    }
    const sentAt = Date.now();
    await sendMessage(first, conversationId, 'Write 4,000 tokens, please.');
    await Promise.all(pages.map((page) => waitForLastReply(page, 'complete')));
    const replyMs = Date.now() - sentAt;
    const tabBusy = await Promise.all(
      metrics.map(async ({ cdp, before }) => timeBetween(before, await mainThreadTime(cdp)).task),
    );

    const workerCounters = await readWorkerCounters(worker);
    await worker.detach();
    const reply = (await listMessages(first, conversationId)).at(-1);
    const expected = replyTextFor(FANOUT_MODEL);
    if (reply?.content !== expected) throw new Error('fan-out: the stored reply is not the text the mock sent');

    const all: number[] = [];
    const transport: number[] = [];
    const apply: number[] = [];
    const tabP95: number[] = [];
    const batches: number[] = [];
    const bytesFromTab: number[] = [];
    let tabsWithGaps = 0;
    for (const page of pages) {
      const { deltas } = await readProbe(page);
      const mine = deltas.filter((delta) => delta.messageId === reply.id);
      const latencies = mine.map((delta) => delta.appliedAt - delta.sentAt);
      all.push(...latencies);
      transport.push(...mine.map((delta) => delta.receivedAt - delta.sentAt));
      apply.push(...mine.map((delta) => delta.appliedAt - delta.receivedAt));
      tabP95.push(percentile(latencies, 95));
      batches.push(mine.length);
      if (mine.length !== Math.max(0, ...mine.map((delta) => delta.seq))) tabsWithGaps += 1;
      bytesFromTab.push((await readTabCounters(page)).portBytes);
    }
    const bytesToTab = workerCounters.portBytes / tabs;
    return {
      tabs,
      latencyP50: percentile(all, 50),
      latencyP95: percentile(all, 95),
      latencyMax: max(all),
      worstTabP95: max(tabP95),
      transportP95: percentile(transport, 95),
      applyP95: percentile(apply, 95),
      batchesPerTab: median(batches),
      replyChars: expected.length,
      bytesToTab,
      bytesFromTab: median(bytesFromTab),
      bytesRatio: (bytesToTab + median(bytesFromTab)) / expected.length,
      messagesToTab: workerCounters.portMessages / tabs,
      tabsWithGaps,
      tabBusyMs: median(tabBusy),
      replyMs,
    };
  } finally {
    await context.close();
  }
}

export interface FanOutResult {
  model: string;
  byTabs: Record<string, FanOutRun>;
  runs: Record<string, FanOutRun[]>;
}

export async function measureFanOut(env: BenchEnv): Promise<FanOutResult> {
  const byTabs: Record<string, FanOutRun> = {};
  const runs: Record<string, FanOutRun[]> = {};
  for (const tabs of TAB_COUNTS) {
    runs[tabs] = [];
    for (const run of range(env.runs)) {
      const result = await fanOutOnce(env, tabs);
      env.log(
        `fan-out ${tabs} tab(s) run ${run + 1}: p50 ${result.latencyP50.toFixed(1)} ms, p95 ${result.latencyP95.toFixed(1)} ms, ${result.bytesRatio.toFixed(2)}× bytes`,
      );
      runs[tabs].push(result);
    }
    byTabs[tabs] = medianOfRuns(runs[tabs]);
  }
  return { model: FANOUT_MODEL, byTabs, runs };
}
