/**
 * 2. Render: main-thread time to stream a 2,000- and an 8,000-token markdown reply to
 * `complete` in the app, against the plain-text floor page (bench/pages/floor.html) streaming
 * the same tokens in the same run. CDP Performance metrics over the stream; beside them CPU
 * time from /proc: the renderers' main threads, and the whole browser (every process, the
 * core's worker included, so work moved off the main thread still counts). Long tasks from a
 * PerformanceObserver; the final paint's lag behind the last token the mock wrote.
 */
import type { Page } from '@playwright/test';
import { replyTextFor } from '../tests/fixtures/mock-llm';
import {
  addMockProvider,
  createConversation,
  listMessages,
  longTasks,
  openApp,
  openConversation,
  readProbe,
  resetProbe,
  sendMessage,
  settleFrames,
  waitForLastReply,
  watchLongTasks,
} from './lib/app';
import { mainThreadTime, newContext, startMainThreadMetrics, timeBetween, type MainThreadTime } from './lib/browser';
import { range, type BenchEnv } from './lib/env';
import { cpuBetween, cpuSnapshot } from './lib/process-cpu';
import { max, medianOfRuns, sum } from './lib/stats';

export const RENDER_SIZES = [2000, 8000] as const;
/** Tokens ~1 ms apart, as in fan-out: a batch every 16 ms, each with a dozen tokens. */
export const renderModel = (tokens: number) => `mock-markdown:tokens=${tokens}:delay=1`;

export interface PageRender {
  busy: MainThreadTime;
  /** CPU time (ms): renderer main threads, and every process of the browser. */
  cpu: { mainThread: number; browser: number };
  longTaskCount: number;
  longTaskTotalMs: number;
  longTaskMaxMs: number;
}

export interface RenderRun {
  tokens: number;
  replyChars: number;
  app: PageRender;
  floor: PageRender;
  /** app task time / floor task time. */
  ratio: number;
  /** The same for main-thread CPU time, and for the whole browser's CPU time. */
  cpuRatio: number;
  browserRatio: number;
  /** The last token leaving the mock → the frame after the tab applied it (ms). */
  finalPaintLagMs: number;
  /** The last token leaving the mock → the message shown `complete` (saved, ms). */
  completeLagMs: number;
  streamMs: number;
}

async function pageRender(page: Page, run: () => Promise<void>): Promise<PageRender> {
  await watchLongTasks(page);
  const cdp = await startMainThreadMetrics(page);
  const before = await mainThreadTime(cdp);
  const cpuBefore = cpuSnapshot();
  const started = Date.now();
  await run();
  await settleFrames(page);
  const busy = timeBetween(before, await mainThreadTime(cdp));
  const cpu = cpuBetween(cpuBefore, cpuSnapshot(), Date.now() - started);
  await cdp.detach();
  const tasks = await longTasks(page);
  return {
    busy,
    cpu: { mainThread: cpu.mainThreads, browser: cpu.browser },
    longTaskCount: tasks.length,
    longTaskTotalMs: sum(tasks),
    longTaskMaxMs: tasks.length ? max(tasks) : 0,
  };
}

async function renderOnce(env: BenchEnv, tokens: number): Promise<RenderRun> {
  const model = renderModel(tokens);
  const expected = replyTextFor(model);
  const context = await newContext(env.browser);
  try {
    // The app, first.
    const page = await context.newPage();
    await openApp(page, env.appUrl);
    const providerId = await addMockProvider(page, env.mock.url);
    const conversationId = await createConversation(page, providerId, model, 'Render');
    await openConversation(page, env.appUrl, conversationId);
    await resetProbe(page);
    const requestsBefore = env.mock.requests.length;
    let completedAt = 0;
    const app = await pageRender(page, async () => {
      await sendMessage(page, conversationId, 'Show me markdown');
      await waitForLastReply(page, 'complete');
      completedAt = Date.now();
    });
    const reply = (await listMessages(page, conversationId)).at(-1);
    if (reply?.content !== expected) throw new Error('render: the stored reply is not the text the mock sent');
    const request = env.mock.requests.slice(requestsBefore).find((entry) => entry.model === model);
    if (!request?.finishedAt) throw new Error('render: the mock did not log the reply');
    const { deltas, frames } = await readProbe(page);
    const lastApplied = Math.max(...deltas.map((delta) => delta.appliedAt));
    const finalFrame = Math.min(...frames.filter((frame) => frame >= lastApplied));
    await page.close();

    // The floor, in a fresh page of the same context, right after.
    const floorPage = await context.newPage();
    await floorPage.goto(`${env.appUrl}/__bench/floor.html`);
    let floorText = '';
    const floor = await pageRender(floorPage, async () => {
      floorText = await floorPage.evaluate(
        ([url, id]) => (window as unknown as { startFloor(url: string, model: string): Promise<string> }).startFloor(url, id),
        [env.mock.url, model] as const,
      );
    });
    if (floorText !== expected) throw new Error('render: the floor page did not get the same text');

    return {
      tokens,
      replyChars: expected.length,
      app,
      floor,
      ratio: app.busy.task / floor.busy.task,
      cpuRatio: app.cpu.mainThread / floor.cpu.mainThread,
      browserRatio: app.cpu.browser / floor.cpu.browser,
      finalPaintLagMs: finalFrame - request.finishedAt,
      completeLagMs: completedAt - request.finishedAt,
      streamMs: request.finishedAt - request.startedAt,
    };
  } finally {
    await context.close();
  }
}

export interface RenderResult {
  bySize: Record<string, RenderRun>;
  runs: Record<string, RenderRun[]>;
}

export async function measureRender(env: BenchEnv): Promise<RenderResult> {
  const bySize: Record<string, RenderRun> = {};
  const runs: Record<string, RenderRun[]> = {};
  for (const tokens of RENDER_SIZES) {
    runs[tokens] = [];
    for (const run of range(env.runs)) {
      const result = await renderOnce(env, tokens);
      env.log(
        `render ${tokens} tokens run ${run + 1}: app ${result.app.busy.task.toFixed(0)} ms, floor ${result.floor.busy.task.toFixed(0)} ms ` +
          `(${result.ratio.toFixed(2)}×; CPU main ${result.cpuRatio.toFixed(2)}×, browser ${result.browserRatio.toFixed(2)}×), long tasks ${result.app.longTaskCount} (max ${result.app.longTaskMaxMs.toFixed(0)} ms), ` +
          `final paint +${result.finalPaintLagMs.toFixed(0)} ms`,
      );
      runs[tokens].push(result);
    }
    bySize[tokens] = medianOfRuns(runs[tokens]);
  }
  return { bySize, runs };
}
