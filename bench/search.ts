/**
 * 7. Search at scale (issue 14): 50,000 messages of chat-like text (bench/lib/corpus.ts, a Zipf
 * vocabulary of 20,000 words) in 1,000 conversations, seeded straight into IndexedDB. Each run
 * starts the core cold on that data (every tab closed, so the SharedWorker ends; a new tab starts
 * a new one) and measures:
 *  - the index build in the background: navigation → `search` no longer reports `indexing`;
 *  - the longest the worker's event loop was held meanwhile (a 5 ms interval timer's worst lag,
 *    installed through CDP as soon as the worker exists): what a streaming reply would wait;
 *  - queries as typed (a word and the start of the next, one word, a typo), each one call from
 *    the tab: round trip, with the hits' snippets read from storage;
 *  - the index in memory: the worker's heap after a full GC, minus the same after
 *    `search.stop()` drops the index (a bench-build hook exposes the core), against the text's
 *    size (one byte per character of V8's one-byte strings).
 */
import type { Page } from '@playwright/test';
import { openApp } from './lib/app';
import { newContext, WorkerSession } from './lib/browser';
import { makeCorpus } from './lib/corpus';
import { range, type BenchEnv } from './lib/env';
import { seedCorpus, type CorpusSeed } from './lib/seed-corpus';
import { median, medianOfRuns, percentile, round } from './lib/stats';
import { LAG_MONITOR } from './lib/worker-lag';

export const SEARCH_PLAN = { conversations: 1000, messages: 50_000 } as const;
const QUERIES = 90;

export interface SearchRun {
  /** Navigation → every message indexed (ms). */
  buildMs: number;
  /** The worst delay of a 5 ms timer in the worker during the build (ms). */
  longestWorkerTaskMs: number;
  queryMedianMs: number;
  queryP95Ms: number;
  /** Median hits per query (of at most 30 asked). */
  hitsPerQuery: number;
  indexBytes: number;
  workerHeapBytes: number;
}

export interface SearchResult {
  plan: typeof SEARCH_PLAN;
  seed: CorpusSeed;
  median: SearchRun;
  runs: SearchRun[];
}

/** Queries as people type them, from the seeded text itself (the same generator, the same seed). */
function makeQueries(): string[] {
  const corpus = makeCorpus(SEARCH_PLAN.messages, 1);
  const queries: string[] = [];
  for (let index = 0; queries.length < QUERIES; index += 557) {
    const words = [...(corpus[index % corpus.length].content.toLowerCase().match(/[a-z]{5,}/g) ?? [])];
    if (words.length < 2) continue;
    const first = words[0];
    const second = words[Math.floor(words.length / 2)];
    queries.push(`${first} ${second.slice(0, 3)}`, second, `${first.slice(0, 2)}${first[3]}${first[2]}${first.slice(4)}`);
  }
  return queries.slice(0, QUERIES);
}

type SearchApi = { search(query: string, options?: { limit?: number }): Promise<{ hits: unknown[]; indexing?: unknown }> };

/** In the page: ask until the index is complete; ms since navigation. */
function waitForIndex(): Promise<number> {
  return new Promise((resolve) => {
    const poll = async () => {
      const answer = await (window as unknown as { __parleyBench: { api: SearchApi } }).__parleyBench.api.search('zq', {
        limit: 1,
      });
      if (!answer.indexing) resolve(performance.now());
      else setTimeout(poll, 100);
    };
    void poll();
  });
}

/** In the page: each query's round trip (ms) and hit count. */
async function timeQueries(queries: string[]): Promise<Array<{ ms: number; hits: number }>> {
  const search = (window as unknown as { __parleyBench: { api: SearchApi } }).__parleyBench.api;
  const timings: Array<{ ms: number; hits: number }> = [];
  for (const query of queries) {
    const started = performance.now();
    const answer = await search.search(query, { limit: 30 });
    timings.push({ ms: performance.now() - started, hits: answer.hits.length });
  }
  return timings;
}

async function sharedWorkers(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: Array<{ type: string }> };
  await cdp.detach();
  return targetInfos.filter((target) => target.type === 'shared_worker').length;
}

async function searchOnce(env: BenchEnv, page: Page, queries: string[]): Promise<SearchRun> {
  await page.goto(`${env.appUrl}/__bench/blank.html`);
  // The previous core ends with its last tab (extended lifetime is off in this profile).
  for (let tries = 0; (await sharedWorkers(page)) > 0 && tries < 100; tries++) await page.waitForTimeout(100);
  await openApp(page, env.appUrl, '/settings');
  const worker = await WorkerSession.attach(env.browser, page);
  try {
    await worker.evaluate(LAG_MONITOR);
    const builtAt = await page.evaluate(waitForIndex);
    const longestWorkerTaskMs = await worker.evaluate<number>('globalThis.__benchLag.worst');
    if (process.env.PARLEY_BENCH_DEBUG)
      env.log(
        `search: worker stalls over 20 ms [time, ms]: ${await worker.evaluate<string>('JSON.stringify(globalThis.__benchLag.long)')}`,
      );
    const timings = await page.evaluate(timeQueries, queries);
    const workerHeapBytes = await worker.heapAfterGc();
    await worker.evaluate('globalThis.__parleyCore.then((core) => { core.search.stop(); return true; })');
    const withoutIndex = await worker.heapAfterGc();
    await worker.evaluate('clearInterval(globalThis.__benchLag.timer)');
    return {
      buildMs: round(builtAt),
      longestWorkerTaskMs: round(longestWorkerTaskMs),
      queryMedianMs: round(median(timings.map((timing) => timing.ms)), 2),
      queryP95Ms: round(
        percentile(
          timings.map((timing) => timing.ms),
          95,
        ),
        2,
      ),
      hitsPerQuery: median(timings.map((timing) => timing.hits)),
      indexBytes: workerHeapBytes - withoutIndex,
      workerHeapBytes,
    };
  } finally {
    await worker.detach();
  }
}

export async function measureSearch(env: BenchEnv): Promise<SearchResult> {
  const context = await newContext(env.browser);
  try {
    const page = await context.newPage();
    await page.goto(`${env.appUrl}/__bench/blank.html`);
    await page.evaluate(() => localStorage.setItem('parley:extended-lifetime', 'off'));
    await openApp(page, env.appUrl, '/settings');
    await page.goto(`${env.appUrl}/__bench/blank.html`);
    const seed = await seedCorpus(page, SEARCH_PLAN);
    env.log(
      `search: seeded ${seed.conversations} conversations, ${seed.messages} messages (${(seed.characters / 1e6).toFixed(1)} M characters) in ${(seed.ms / 1000).toFixed(1)} s`,
    );
    const queries = makeQueries();
    const runs: SearchRun[] = [];
    for (const run of range(env.runs)) {
      const result = await searchOnce(env, page, queries);
      env.log(
        `search run ${run + 1}: built in ${result.buildMs.toFixed(0)} ms (longest worker task ${result.longestWorkerTaskMs.toFixed(0)} ms), ` +
          `query p50 ${result.queryMedianMs} ms / p95 ${result.queryP95Ms} ms, index ${(result.indexBytes / 1048576).toFixed(1)} MB ` +
          `(${(result.indexBytes / seed.characters).toFixed(2)}× the text)`,
      );
      runs.push(result);
    }
    return { plan: SEARCH_PLAN, seed, median: medianOfRuns(runs), runs };
  } finally {
    await context.close();
  }
}
