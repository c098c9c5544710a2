/**
 * 1. Fan-out: one 4,000-token reply watched by 1, 3 and 8 visible tabs, and by 8 tabs of which 7
 * are hidden (as on a desktop: one tab in front). Per delta batch, the latency from the core
 * stamping it (`sentAt`) to a visible tab's store having applied it (and rendered it: Solid
 * updates the DOM synchronously inside the store write). Main-thread time of each tab, and CPU
 * time of the whole browser (every process, the worker's included). A hidden tab is then shown
 * and must catch up in one render, to the DOM the visible tab shows. Bytes crossing the ports
 * per reply, per tab, against the reply's own length.
 */
import type { Page } from '@playwright/test';
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
  settleFrames,
  waitForLastReply,
} from './lib/app';
import { mainThreadTime, newContext, startMainThreadMetrics, timeBetween, WorkerSession } from './lib/browser';
import { range, type BenchEnv } from './lib/env';
import { cpuBetween, cpuSnapshot } from './lib/process-cpu';
import { max, median, medianOfRuns, percentile } from './lib/stats';
import { setPageVisibility } from './lib/visibility';
import { readTabCounters, readWorkerCounters, resetTabCounters, resetWorkerCounters } from './lib/worker-probe';

/** 4,000 tokens, about 1 ms apart: ~900 tokens/s, far above any real provider, so batches are full. */
export const FANOUT_MODEL = 'mock-slow:tokens=4000:delay=1';
/** Tabs watching the reply, and how many of them are hidden. */
export const FANOUT_SCENARIOS = [
  { key: '1', tabs: 1, hidden: 0 },
  { key: '3', tabs: 3, hidden: 0 },
  { key: '8', tabs: 8, hidden: 0 },
  { key: '8h', tabs: 8, hidden: 7 },
] as const;

export interface FanOutRun {
  tabs: number;
  hiddenTabs: number;
  /** sentAt → applied, pooled over every visible tab's batches (ms). */
  latencyP50: number;
  latencyP95: number;
  latencyMax: number;
  /** The worst visible tab's p95 (ms). */
  worstTabP95: number;
  /** sentAt → the event reaching the store (ms): the port. */
  transportP95: number;
  /** Store write + synchronous DOM update (ms). */
  applyP95: number;
  batchesPerTab: number;
  replyChars: number;
  /** Worker → tab bytes per tab for the whole reply. */
  bytesToTab: number;
  /** Tab → worker bytes per tab. */
  bytesFromTab: number;
  /** (worker → tab + tab → worker) / reply length. */
  bytesRatio: number;
  messagesToTab: number;
  /** Tabs that missed a batch (seq gap) and asked for a snapshot. */
  tabsWithGaps: number;
  /** Main-thread busy time (CDP TaskDuration) over the reply: the median visible tab, all visible tabs. */
  tabBusyMs: number;
  visibleBusyMs: number;
  /** The same for hidden tabs (median), and as a share of the median visible tab's. */
  hiddenTabBusyMs: number;
  hiddenShare: number;
  /** CPU time of every browser process over the reply (ms), and the cores it kept busy on average. */
  browserCpuMs: number;
  browserCores: number;
  /** A hidden tab shown after the reply: its main-thread time until two frames later, and whether it then shows what the visible tab shows. */
  catchUpMs: number;
  caughtUp: boolean;
  replyMs: number;
}

/** The reply as the page shows it, once highlighting is done. */
function shownReply(page: Page): Promise<string> {
  return page.evaluate(async () => {
    while (document.querySelector('[data-highlighted="pending"]')) await new Promise((resolve) => setTimeout(resolve, 20));
    const replies = document.querySelectorAll('[data-testid="message"][data-role="assistant"] .markdown');
    return replies[replies.length - 1]?.innerHTML ?? '';
  });
}

async function catchUp(hiddenPage: Page, visiblePage: Page): Promise<{ ms: number; same: boolean }> {
  const cdp = await startMainThreadMetrics(hiddenPage);
  const before = await mainThreadTime(cdp);
  await setPageVisibility(hiddenPage, 'visible');
  await waitForLastReply(hiddenPage, 'complete', 10_000);
  await settleFrames(hiddenPage);
  const ms = timeBetween(before, await mainThreadTime(cdp)).task;
  await cdp.detach();
  return { ms, same: (await shownReply(hiddenPage)) === (await shownReply(visiblePage)) };
}

async function fanOutOnce(env: BenchEnv, tabs: number, hidden: number): Promise<FanOutRun> {
  const context = await newContext(env.browser);
  try {
    const first = await context.newPage();
    await openApp(first, env.appUrl);
    const providerId = await addMockProvider(first, env.mock.url);
    const conversationId = await createConversation(first, providerId, FANOUT_MODEL, 'Fan-out');
    const pages = [first, ...(await Promise.all(range(tabs - 1).map(() => context.newPage())))];
    for (const page of pages) await openConversation(page, env.appUrl, conversationId);
    // The first tab is in front; the last `hidden` ones are behind it.
    const hiddenPages = pages.slice(tabs - hidden);
    const visiblePages = pages.slice(0, tabs - hidden);
    for (const page of hiddenPages) await setPageVisibility(page, 'hidden');
    // The sender in front, as for a person typing in it: headless Chromium renders the target in
    // front at full rate and the others less often.
    await first.bringToFront();
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
    const cpuBefore = cpuSnapshot();
    const sentAt = Date.now();
    await sendMessage(first, conversationId, 'Write 4,000 tokens, please.');
    // A hidden tab changes nothing on its page until it is shown (the catch-up below).
    await Promise.all(visiblePages.map((page) => waitForLastReply(page, 'complete')));
    const replyMs = Date.now() - sentAt;
    const cpu = cpuBetween(cpuBefore, cpuSnapshot(), replyMs);
    const tabBusy = await Promise.all(
      metrics.map(async ({ cdp, before }) => {
        const busy = timeBetween(before, await mainThreadTime(cdp)).task;
        await cdp.detach();
        return busy;
      }),
    );
    const visibleBusy = tabBusy.slice(0, tabs - hidden);
    const hiddenBusy = tabBusy.slice(tabs - hidden);

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
      batches.push(mine.length);
      if (mine.length !== Math.max(0, ...mine.map((delta) => delta.seq))) tabsWithGaps += 1;
      bytesFromTab.push((await readTabCounters(page)).portBytes);
      // Latency is what a reader sees: visible tabs only (a hidden tab applies its deltas when shown).
      if (!visiblePages.includes(page)) continue;
      const latencies = mine.map((delta) => delta.appliedAt - delta.sentAt);
      all.push(...latencies);
      transport.push(...mine.map((delta) => delta.receivedAt - delta.sentAt));
      apply.push(...mine.map((delta) => delta.appliedAt - delta.receivedAt));
      tabP95.push(percentile(latencies, 95));
    }
    const caught = hiddenPages.length > 0 ? await catchUp(hiddenPages[0], first) : { ms: Number.NaN, same: true };
    const bytesToTab = workerCounters.portBytes / tabs;
    return {
      tabs,
      hiddenTabs: hidden,
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
      tabBusyMs: median(visibleBusy),
      visibleBusyMs: visibleBusy.reduce((sum, busy) => sum + busy, 0),
      hiddenTabBusyMs: hiddenBusy.length > 0 ? median(hiddenBusy) : Number.NaN,
      hiddenShare: hiddenBusy.length > 0 ? median(hiddenBusy) / median(visibleBusy) : Number.NaN,
      browserCpuMs: cpu.browser,
      browserCores: cpu.cores,
      catchUpMs: caught.ms,
      caughtUp: caught.same,
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
  for (const { key } of FANOUT_SCENARIOS) runs[key] = [];
  // Scenario after scenario within each round: a noisy neighbour slows them alike.
  for (const run of range(env.runs)) {
    for (const { key, tabs, hidden } of FANOUT_SCENARIOS) {
      const result = await fanOutOnce(env, tabs, hidden);
      env.log(
        `fan-out ${tabs} tab(s)${hidden ? `, ${hidden} hidden` : ''} run ${run + 1}: p50 ${result.latencyP50.toFixed(1)} ms, ` +
          `p95 ${result.latencyP95.toFixed(1)} ms, tab busy ${result.tabBusyMs.toFixed(0)} ms` +
          `${hidden ? ` (hidden ${result.hiddenTabBusyMs.toFixed(0)} ms, catch-up ${result.catchUpMs.toFixed(0)} ms, ${result.caughtUp ? 'same DOM' : 'DIFFERENT DOM'})` : ''}, ` +
          `browser CPU ${result.browserCpuMs.toFixed(0)} ms, ${result.bytesRatio.toFixed(2)}× bytes`,
      );
      runs[key].push(result);
    }
  }
  for (const { key } of FANOUT_SCENARIOS) byTabs[key] = medianOfRuns(runs[key]);
  return { model: FANOUT_MODEL, byTabs, runs };
}
