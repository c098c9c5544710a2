/**
 * 3. History scale: 1,000 conversations and 50,000 messages in IndexedDB. Cold start (a new
 * browser on that profile: new worker, warm HTTP cache) to the conversation list painted; a
 * 2,000-message conversation opened from the list to its first paint; then scrolled end to
 * end (up to its first message, loading earlier ones as a reader would, and back down),
 * counting dropped frames: rAF deltas over 1.5 × 16.7 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { addMockProvider, openApp } from './lib/app';
import { launchPersistent } from './lib/browser';
import { range, type BenchEnv } from './lib/env';
import { seedHistory, type SeedReport } from './lib/seed-history';
import { medianOfRuns } from './lib/stats';

export const HISTORY_PLAN = { conversations: 1000, messages: 50_000, bigMessages: 2000, bigRank: 1 } as const;
const BIG_ID = 'seed-big';
/** Each frame scrolls half a screen: a brisk fling, so every frame brings new content in. */
const SCROLL_STEP = 0.5;
const FRAME_MS = 1000 / 60;
const DROPPED_OVER_MS = 1.5 * FRAME_MS;

export interface ScrollReport {
  frames: number;
  dropped: number;
  worstFrameMs: number;
  ms: number;
  /** Clicks on "Show earlier" (when earlier messages did not load on their own). */
  clicks: number;
  /** Frames in which earlier messages were added, and how many of the dropped ones were those. */
  loadFrames: number;
  droppedAtLoads: number;
  messagesRendered: number;
}

export interface HistoryRun {
  /** Navigation start → the first conversation row painted (ms). */
  listPaintedMs: number;
  /** Navigation start → the newest conversation's messages painted (`/` opens it). */
  newestConversationPaintedMs: number;
  /** Click on the 2,000-message conversation → its messages painted (ms). */
  openBigMs: number;
  messagesAtFirstPaint: number;
  scroll: ScrollReport;
}

/**
 * Paint times come from the Element Timing API: the probe marks the first element of each kind
 * with `elementtiming` as soon as it is inserted (a MutationObserver runs before the frame
 * that paints it), and the browser reports when that frame was painted.
 */
const PAINT_PROBE = `(() => {
  if (location.pathname.startsWith('/__bench/')) return;
  const painted = (window.__benchPaint = {});
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) painted[entry.identifier] ??= entry.renderTime || entry.startTime;
  }).observe({ type: 'element', buffered: true });
  // The last match: a conversation opens scrolled to its end, so its first messages are never painted.
  window.__benchMark = (selector, name) => {
    const mark = () => {
      const matches = document.querySelectorAll(selector);
      const element = matches[matches.length - 1];
      if (!element) return false;
      element.setAttribute('elementtiming', name);
      return true;
    };
    if (mark()) return;
    const observer = new MutationObserver(() => mark() && observer.disconnect());
    observer.observe(document, { childList: true, subtree: true });
  };
  window.__benchMark('.conversation-group:first-child .conversation-row:first-child .conversation-title', 'list');
  window.__benchMark('[data-testid="message"] .message-author', 'messages');
})();`;

interface PaintProbe {
  __benchPaint: Record<string, number>;
  __benchMark(selector: string, name: string): void;
}

/** Click the conversation's row; resolve with the ms from the click to its first message painted. */
function openInPage(id: string): Promise<{ ms: number; messages: number }> {
  const scope = window as unknown as PaintProbe;
  return new Promise((resolve, reject) => {
    const link = document.querySelector<HTMLElement>(`[data-testid="conversation-item"][data-id="${id}"]`);
    if (!link) return reject(new Error(`history: no sidebar row for ${id}`));
    scope.__benchMark('[data-testid="message"][data-id^="big-"] .message-author', 'big');
    const start = performance.now();
    link.click();
    const poll = () => {
      const paintedAt = scope.__benchPaint.big;
      if (paintedAt) {
        resolve({ ms: paintedAt - start, messages: document.querySelectorAll('[data-testid="message"]').length });
        return;
      }
      setTimeout(poll, 20);
    };
    poll();
  });
}

function scrollInPage(options: { step: number; droppedOverMs: number }): Promise<ScrollReport> {
  return new Promise((resolve, reject) => {
    const scroller = document.querySelector<HTMLElement>('.message-scroller');
    if (!scroller) return reject(new Error('history: no message scroller'));
    const step = Math.round(scroller.clientHeight * options.step);
    const column = scroller.querySelector('[role="log"]') ?? scroller;
    const deltas: number[] = [];
    /** Whether the frame before each delta added messages (the column grew). */
    const loaded: boolean[] = [];
    let children = column.childElementCount;
    let grewLastFrame = false;
    let last = 0;
    let goingUp = true;
    let clicks = 0;
    let topFrames = 0;
    const started = performance.now();
    const frame = (now: number) => {
      if (last) {
        deltas.push(now - last);
        loaded.push(grewLastFrame);
      }
      last = now;
      grewLastFrame = false;
      if (goingUp) {
        if (scroller.scrollTop > 0) {
          scroller.scrollTop = Math.max(0, scroller.scrollTop - step);
          topFrames = 0;
        } else {
          const button = scroller.querySelector<HTMLButtonElement>('.show-earlier');
          if (button) {
            button.click();
            clicks += 1;
          } else if (++topFrames > 3) {
            goingUp = false; // at the first message, nothing more to load
          }
        }
      } else {
        const bottom = scroller.scrollHeight - scroller.clientHeight;
        if (scroller.scrollTop >= bottom - 1) {
          resolve({
            frames: deltas.length,
            dropped: deltas.filter((delta) => delta > options.droppedOverMs).length,
            worstFrameMs: Math.max(...deltas),
            ms: performance.now() - started,
            clicks,
            loadFrames: loaded.filter(Boolean).length,
            droppedAtLoads: deltas.filter((delta, index) => delta > options.droppedOverMs && loaded[index]).length,
            messagesRendered: document.querySelectorAll('[data-testid="message"]').length,
          });
          return;
        }
        scroller.scrollTop = Math.min(bottom, scroller.scrollTop + step);
      }
      // Loads happen in observer callbacks after this frame's rAF: look at the next frame.
      setTimeout(() => {
        const now = column.childElementCount;
        if (now !== children) grewLastFrame = true;
        children = now;
      });
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

async function paintTime(page: Page, name: string): Promise<number> {
  const handle = await page.waitForFunction((key) => (window as unknown as PaintProbe).__benchPaint?.[key], name, {
    timeout: 60_000,
    polling: 50,
  });
  return (await handle.jsonValue()) as number;
}

/** A profile with the app's own database, then the rows written from a page without the core. */
async function prepareProfile(env: BenchEnv): Promise<{ directory: string; seed: SeedReport }> {
  const directory = mkdtempSync(join(tmpdir(), 'parley-bench-history-'));
  const context = await launchPersistent(directory);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${env.appUrl}/__bench/blank.html`);
    // The core stops with its last tab, so later runs start it cold.
    await page.evaluate(() => localStorage.setItem('parley:extended-lifetime', 'off'));
    await openApp(page, env.appUrl);
    const providerId = await addMockProvider(page, env.mock.url);
    await page.goto(`${env.appUrl}/__bench/blank.html`);
    const seed = await seedHistory(page, {
      conversations: HISTORY_PLAN.conversations,
      messages: HISTORY_PLAN.messages,
      bigConversationId: BIG_ID,
      bigMessages: HISTORY_PLAN.bigMessages,
      bigRank: HISTORY_PLAN.bigRank,
      providerId,
      modelId: 'mock-fast',
      now: Date.now(),
    });
    env.log(
      `history: seeded ${seed.conversations} conversations, ${seed.messages} messages (${(seed.characters / 1e6).toFixed(1)} M characters) in ${(seed.ms / 1000).toFixed(1)} s`,
    );
    return { directory, seed };
  } finally {
    await context.close();
  }
}

async function historyOnce(env: BenchEnv, directory: string): Promise<HistoryRun> {
  const context = await launchPersistent(directory);
  try {
    await context.addInitScript({ content: PAINT_PROBE });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${env.appUrl}/`);
    const listPaintedMs = await paintTime(page, 'list');
    const newestConversationPaintedMs = await paintTime(page, 'messages');
    // Let the start settle (models, connectivity probe) before the next timing.
    await page.waitForTimeout(500);
    const opened = await page.evaluate(openInPage, BIG_ID);
    await page.waitForTimeout(300);
    const scroll = await page.evaluate(scrollInPage, { step: SCROLL_STEP, droppedOverMs: DROPPED_OVER_MS });
    return { listPaintedMs, newestConversationPaintedMs, openBigMs: opened.ms, messagesAtFirstPaint: opened.messages, scroll };
  } finally {
    await context.close();
  }
}

export interface HistoryResult {
  plan: typeof HISTORY_PLAN;
  seed: SeedReport;
  median: HistoryRun;
  runs: HistoryRun[];
}

export async function measureHistory(env: BenchEnv): Promise<HistoryResult> {
  const { directory, seed } = await prepareProfile(env);
  try {
    const runs: HistoryRun[] = [];
    for (const run of range(env.runs)) {
      const result = await historyOnce(env, directory);
      env.log(
        `history run ${run + 1}: list ${result.listPaintedMs.toFixed(0)} ms, open 2,000 msgs ${result.openBigMs.toFixed(0)} ms, ` +
          `scroll ${result.scroll.dropped}/${result.scroll.frames} frames dropped (worst ${result.scroll.worstFrameMs.toFixed(0)} ms, ${result.scroll.messagesRendered} messages)`,
      );
      runs.push(result);
    }
    return { plan: HISTORY_PLAN, seed, median: medianOfRuns(runs), runs };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
