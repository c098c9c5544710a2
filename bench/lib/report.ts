/**
 * The two outputs of a bench run: bench/results.json (every run's raw figures) and
 * bench/README.md (the method, the machine and the table of medians against the targets).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { FanOutResult } from '../fanout';
import type { HistoryResult } from '../history';
import type { MemoryResult } from '../memory';
import type { RenderResult } from '../render';
import type { SearchResult } from '../search';
import type { SizeResult } from '../size';
import type { StorageResult } from '../storage';
import type { SyncResult } from '../sync';
import { ANALYSIS } from './analysis';
import { APP_CHANGES, METHOD } from './prose';
import { count, kB, MB, ms, table } from './format';
import { details } from './report-details';
import { SEARCH_ANALYSIS, SEARCH_LIBRARY, searchRows } from './report-search';
import { syncRows } from './report-sync';
import { fanOutRows, renderRows } from './report-streaming';
import type { MachineInfo } from './machine';

export interface BenchResults {
  fanout?: FanOutResult;
  render?: RenderResult;
  history?: HistoryResult;
  storage?: StorageResult;
  size?: SizeResult;
  memory?: MemoryResult;
  search?: SearchResult;
  sync?: SyncResult;
}

export interface RunInfo {
  date: string;
  command: string;
  runs: number;
  durationS: number;
  commit: string;
  machine: MachineInfo;
  /** Set when this run measured a subset: the rest are carried over from an earlier run. */
  carriedOver?: { measurements: string[]; date: string; commit: string };
}

/** One line of the summary: a figure, its target and whether it is met. */
export interface Row {
  id: string;
  measurement: string;
  figure: string;
  result: string;
  target: string;
  /** undefined: no target, recorded only. */
  met?: boolean;
  /** "missed by …" when not met. */
  gap?: string;
}

function verdict(row: Row): string {
  if (row.met === undefined) return 'recorded (no target)';
  return row.met ? '**met**' : `**missed** — ${row.gap}`;
}

/** Every figure with a target, and the ones recorded beside them. */
export function summaryRows(results: BenchResults): Row[] {
  const rows: Row[] = [];
  const { fanout, render, history, storage, size, memory } = results;
  if (fanout) rows.push(...fanOutRows(fanout));
  if (render) rows.push(...renderRows(render));
  if (history) {
    const run = history.median;
    rows.push({
      id: 'history-list',
      measurement: '3. History',
      figure: `cold start → conversation list painted (${count(history.plan.conversations)} conversations)`,
      result: ms(run.listPaintedMs),
      target: '≤ 300 ms',
      met: run.listPaintedMs <= 300,
      gap: `${ms(run.listPaintedMs - 300)} over`,
    });
    rows.push({
      id: 'history-open',
      measurement: '3. History',
      figure: `open a ${count(history.plan.bigMessages)}-message conversation → first paint`,
      result: ms(run.openBigMs),
      target: '≤ 150 ms',
      met: run.openBigMs <= 150,
      gap: `${ms(run.openBigMs - 150)} over`,
    });
    const share = run.scroll.dropped / run.scroll.frames;
    rows.push({
      id: 'history-scroll',
      measurement: '3. History',
      figure: 'scroll it end to end: dropped frames (rAF Δ > 25 ms) / frames, longest frame',
      result: `${count(run.scroll.dropped)} / ${count(run.scroll.frames)} (${(share * 100).toFixed(1)} %), ${ms(run.scroll.worstFrameMs)}`,
      target: 'smooth: ≤ 1 % dropped, none over 50 ms',
      met: share <= 0.01 && run.scroll.worstFrameMs <= 50,
      gap: `${count(run.scroll.dropped)} dropped, longest ${ms(run.scroll.worstFrameMs)}`,
    });
  }
  if (storage) {
    const run = storage.median;
    rows.push({
      id: 'storage-writes',
      measurement: '4. Storage',
      figure: `IndexedDB writes in a 4,000-token reply (${ms(run.streamMs)}): checkpoints + others`,
      result: `${count(run.checkpoints)} + ${count(run.otherWrites)}`,
      target: `checkpoints ≤ 1 per 250 ms + 1 (${count(run.checkpointBound)})`,
      met: run.checkpoints <= run.checkpointBound,
      gap: `${count(run.checkpoints - run.checkpointBound)} too many`,
    });
    rows.push({
      id: 'storage-save',
      measurement: '4. Storage',
      figure: 'save the finished reply (final transaction; last token → committed)',
      result: `${ms(run.saveMs, 1)}; ${ms(run.lastTokenToSavedMs, 1)}`,
      target: '—',
    });
  }
  if (size) {
    rows.push({
      id: 'size-first-load',
      measurement: '5. Size',
      figure: 'first-load main-thread JS (index.html + static imports), gzip',
      result: `${kB(size.firstLoadJsGzip)} (${kB(size.fetchedAtStartJsGzip)} with what start imports dynamically)`,
      target: '≤ 80 kB',
      met: size.firstLoadJsGzip <= 80_000,
      gap: `${kB(size.firstLoadJsGzip - 80_000)} over`,
    });
    rows.push({
      id: 'size-worker',
      measurement: '5. Size',
      figure: 'worker JS, gzip',
      result: kB(size.workerJsGzip),
      target: '—',
    });
    rows.push({
      id: 'size-lazy',
      measurement: '5. Size',
      figure: `lazy chunks (${size.lazyJs.length}), gzip`,
      result: kB(size.lazyJsGzip),
      target: '—',
    });
    rows.push({
      id: 'size-precache',
      measurement: '5. Size',
      figure: 'service worker precache',
      result: size.precache
        ? `${size.precache.entries} files, ${kB(size.precache.bytes)} (${kB(size.precache.gzip)} gzip)`
        : 'no service worker in this build',
      target: '—',
    });
  }
  if (memory) {
    rows.push({
      id: 'memory-tab',
      measurement: '6. Memory',
      figure: 'tab JS heap: conversation open → after ten 4,000-token replies',
      result: `${MB(memory.tab.heapBefore)} → ${MB(memory.tab.heapAfter)}`,
      target: '—',
    });
    rows.push({
      id: 'memory-worker',
      measurement: '6. Memory',
      figure: 'worker JS heap: idle → 20 live sessions streaming → after',
      result: `${MB(memory.worker.heapIdle)} → ${MB(memory.worker.heapStreaming)} → ${MB(memory.worker.heapAfter)}`,
      target: '—',
    });
  }
  if (results.search) rows.push(...searchRows(results.search));
  if (results.sync) rows.push(...syncRows(results.sync));
  return rows;
}

export async function writeReport(path: { json: string; readme: string }, info: RunInfo, results: BenchResults): Promise<Row[]> {
  const rows = summaryRows(results);
  mkdirSync(dirname(path.json), { recursive: true });
  writeFileSync(path.json, `${JSON.stringify({ ...info, summary: rows, results }, null, 2)}\n`);

  const misses = rows.filter((row) => row.met === false);
  const analysis = [...new Set(misses.map((row) => row.id.replace(/-\d+$/, '')))]
    .map((id) => ANALYSIS[id]?.(results) ?? (results.search ? SEARCH_ANALYSIS[id]?.(results.search) : undefined))
    .filter((text): text is string => Boolean(text));
  const readme = [
    '# Benchmarks',
    '',
    'Every speed claim of Parley as a number anyone can reproduce, measured in real Chromium against the mock provider',
    '(issue 6). Timings live here, never in pass/fail tests.',
    '',
    '```sh',
    'npm run bench        # build, then every measurement; writes bench/results.json and the tables below',
    'npx tsx bench/run.ts --only=fanout,render --runs=5 --skip-build   # some of them, more runs',
    '```',
    '',
    'On a machine where other browser tests run at the same time, take the shared lock:',
    '`flock /tmp/parley-browser.lock npm run bench`. Chromium is found as the browser tests find it',
    "(`PARLEY_CHROMIUM`, then `/usr/bin/chromium`, then Playwright's own).",
    '',
    '## Last run',
    '',
    `- date: ${info.date}; commit ${info.commit}; ${info.durationS} s in all`,
    `- machine: ${info.machine.cpus} CPUs (\`nproc\`; ${info.machine.cpuModel}), ${info.machine.memoryGiB} GiB memory, ${info.machine.platform}`,
    `- browser: ${info.machine.chromium}, headless; Node ${info.machine.node}`,
    `- command: \`${info.command}\``,
    `- each figure is the median of ${info.runs} runs (few, to keep the whole bench near ten minutes on two cores; raise \`--runs\` for steadier numbers)`,
    ...(info.carriedOver
      ? [
          `- this run measured only what its command names; ${info.carriedOver.measurements.join(', ')} are carried over from the run of ${info.carriedOver.date} (commit ${info.carriedOver.commit})`,
        ]
      : []),
    '',
    table(
      ['measurement', 'figure', 'result (median)', 'target', 'verdict'],
      rows.map((row) => [row.measurement, row.figure, row.result, row.target, verdict(row)]),
    ),
    '',
    '## Where a target is missed, and why',
    '',
    misses.length === 0 ? 'Every target is met.' : analysis.join('\n\n'),
    '',
    '## What the bench changed in the app',
    '',
    APP_CHANGES,
    '',
    '## Search library',
    '',
    SEARCH_LIBRARY,
    '',
    '## Details',
    '',
    details(results),
    '',
    '## Method',
    '',
    METHOD,
    '',
  ].join('\n');
  // Formatted as `npm test` checks it (tables padded), so a bench run leaves the tree clean.
  writeFileSync(path.readme, await format(readme, { ...(await resolveConfig(path.readme)), filepath: path.readme }));
  return rows;
}
