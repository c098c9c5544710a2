/**
 * The two outputs of a bench run: bench/results.json (every run's raw figures) and
 * bench/README.md (the method, the machine and the table of medians against the targets).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FanOutResult } from '../fanout';
import type { HistoryResult } from '../history';
import type { MemoryResult } from '../memory';
import type { RenderResult } from '../render';
import type { SearchResult } from '../search';
import type { SizeResult } from '../size';
import type { StorageResult } from '../storage';
import type { SyncResult } from '../sync';
import { ANALYSIS, APP_CHANGES, METHOD } from './analysis';
import { count, kB, MB, ms, table, times } from './format';
import { SEARCH_ANALYSIS, SEARCH_LIBRARY, searchDetails, searchRows } from './report-search';
import { syncDetails, syncRows } from './report-sync';
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
  if (fanout) {
    for (const [tabs, run] of Object.entries(fanout.byTabs)) {
      const target = tabs === '8';
      rows.push({
        id: `fanout-latency-${tabs}`,
        measurement: '1. Fan-out',
        figure: `batch → store applied, ${tabs} tab${tabs === '1' ? '' : 's'}: p50 / p95`,
        result: `${ms(run.latencyP50, 1)} / ${ms(run.latencyP95, 1)}`,
        target: target ? 'p95 ≤ 16 ms at 8 tabs' : '(p95 ≤ 16 ms is set for 8 tabs)',
        met: run.latencyP95 <= 16,
        gap: `p95 ${ms(run.latencyP95 - 16)} over (${times(run.latencyP95 / 16)} the target)`,
      });
    }
    const eight = fanout.byTabs['8'] ?? Object.values(fanout.byTabs).at(-1)!;
    rows.push({
      id: 'fanout-bytes',
      measurement: '1. Fan-out',
      figure: `port bytes per tab per reply / reply length (${count(eight.replyChars)} chars)`,
      result: `${times(eight.bytesRatio, 2)} (${kB(eight.bytesToTab)} to the tab + ${kB(eight.bytesFromTab)} back)`,
      target: '≤ 1.5×',
      met: eight.bytesRatio <= 1.5,
      gap: `${times(eight.bytesRatio / 1.5)} the target`,
    });
  }
  if (render) {
    for (const [tokens, run] of Object.entries(render.bySize)) {
      const target = tokens === '8000';
      rows.push({
        id: `render-ratio-${tokens}`,
        measurement: '2. Render',
        figure: `${count(Number(tokens))}-token markdown: main-thread busy vs plain-text floor`,
        result: `${times(run.ratio)} (${ms(run.app.busy.task)} vs ${ms(run.floor.busy.task)})`,
        target: target ? '≤ 3× the floor at 8,000 tokens' : '—',
        ...(target ? { met: run.ratio <= 3, gap: `${times(run.ratio / 3, 2)} the target` } : {}),
      });
      rows.push({
        id: `render-longtasks-${tokens}`,
        measurement: '2. Render',
        figure: `${count(Number(tokens))}-token markdown: long tasks (count, total, longest)`,
        result: `${count(run.app.longTaskCount)}, ${ms(run.app.longTaskTotalMs)}, ${ms(run.app.longTaskMaxMs)}`,
        target: target ? 'no long task over 50 ms' : '—',
        ...(target
          ? {
              met: run.app.longTaskCount === 0,
              gap: `${count(run.app.longTaskCount)} long tasks, longest ${ms(run.app.longTaskMaxMs)}`,
            }
          : {}),
      });
      rows.push({
        id: `render-lag-${tokens}`,
        measurement: '2. Render',
        figure: `${count(Number(tokens))}-token markdown: final paint after the last token`,
        result: ms(run.finalPaintLagMs),
        target: '—',
      });
    }
  }
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

function details(results: BenchResults): string {
  const parts: string[] = [];
  const { fanout, render, history, storage, size, memory } = results;
  if (fanout) {
    parts.push(`### 1. Fan-out (\`${fanout.model}\`)\n`);
    parts.push(
      table(
        [
          'tabs',
          'p50',
          'p95',
          'max',
          'worst tab p95',
          'port p95',
          'apply p95',
          'batches',
          'bytes to tab',
          'bytes back',
          'ratio',
          'tab busy / reply',
        ],
        Object.values(fanout.byTabs).map((run) => [
          String(run.tabs),
          ms(run.latencyP50, 1),
          ms(run.latencyP95, 1),
          ms(run.latencyMax),
          ms(run.worstTabP95, 1),
          ms(run.transportP95, 1),
          ms(run.applyP95, 1),
          count(run.batchesPerTab),
          kB(run.bytesToTab),
          kB(run.bytesFromTab),
          times(run.bytesRatio, 2),
          `${ms(run.tabBusyMs)} / ${ms(run.replyMs)}`,
        ]),
      ),
    );
    parts.push(
      `\nEach run's p95: ${Object.entries(fanout.runs)
        .map(([tabs, runs]) => `${tabs} tab(s) ${runs.map((run) => ms(run.latencyP95, 1)).join(', ')}`)
        .join('; ')}.`,
    );
  }
  if (render) {
    parts.push('\n### 2. Render (`mock-markdown:tokens=N:delay=1`)\n');
    const busy = (page: { busy: { task: number; script: number; layout: number; style: number } }) =>
      `${ms(page.busy.task)} (script ${ms(page.busy.script)}, layout ${ms(page.busy.layout)}, style ${ms(page.busy.style)})`;
    parts.push(
      table(
        ['tokens', 'stream', 'app busy', 'floor busy', 'ratio', 'long tasks', 'final paint lag', 'shown complete'],
        Object.values(render.bySize).map((run) => [
          count(run.tokens),
          ms(run.streamMs),
          busy(run.app),
          busy(run.floor),
          times(run.ratio),
          `${count(run.app.longTaskCount)} (${ms(run.app.longTaskTotalMs)})`,
          ms(run.finalPaintLagMs),
          ms(run.completeLagMs),
        ]),
      ),
    );
    parts.push(
      `\nEach run's ratio: ${Object.entries(render.runs)
        .map(([tokens, runs]) => `${count(Number(tokens))} tokens ${runs.map((run) => times(run.ratio)).join(', ')}`)
        .join('; ')}.`,
    );
  }
  if (history) {
    const run = history.median;
    parts.push(
      `\n### 3. History scale\n\nSeeded ${count(history.seed.conversations)} conversations, ${count(history.seed.messages)} messages ` +
        `(${(history.seed.characters / 1e6).toFixed(1)} M characters) in ${ms(history.seed.ms)}.\n`,
    );
    parts.push(
      table(
        [
          'list painted',
          'newest conversation painted',
          'open 2,000 messages',
          'messages at first paint',
          'scroll frames',
          'dropped',
          'longest',
          'scroll time',
          'messages rendered',
        ],
        [
          [
            ms(run.listPaintedMs),
            ms(run.newestConversationPaintedMs),
            ms(run.openBigMs),
            count(run.messagesAtFirstPaint),
            count(run.scroll.frames),
            count(run.scroll.dropped),
            ms(run.scroll.worstFrameMs),
            ms(run.scroll.ms),
            count(run.scroll.messagesRendered),
          ],
        ],
      ),
    );
    parts.push(
      `\nEach run: list ${history.runs.map((entry) => ms(entry.listPaintedMs)).join(', ')}; open ${history.runs.map((entry) => ms(entry.openBigMs)).join(', ')}; ` +
        `dropped frames ${history.runs.map((entry) => `${entry.scroll.dropped} (${entry.scroll.droppedAtLoads} while adding earlier messages)`).join(', ')}.`,
    );
  }
  if (storage) {
    const run = storage.median;
    parts.push(`\n### 4. Storage (\`${storage.model}\`)\n`);
    parts.push(
      table(
        ['stream', 'writes', 'checkpoints', 'bound', 'other writes', 'final save', 'last token → saved'],
        [
          [
            ms(run.streamMs),
            count(run.writes),
            count(run.checkpoints),
            count(run.checkpointBound),
            count(run.otherWrites),
            ms(run.saveMs, 1),
            ms(run.lastTokenToSavedMs, 1),
          ],
        ],
      ),
    );
  }
  if (size) {
    parts.push('\n### 5. Size (dist/ of `npm run build`, gzip -9)\n');
    const fileRows = [
      ...size.firstLoadJs.map((file) => ['first load', file.file, kB(file.bytes), kB(file.gzip)]),
      ...size.workerJs.map((file) => ['worker', file.file, kB(file.bytes), kB(file.gzip)]),
      ...size.lazyJs.map((file) => [
        size.fetchedAtStartJs.some((fetched) => fetched.file === file.file) ? 'lazy (imported at start)' : 'lazy',
        file.file,
        kB(file.bytes),
        kB(file.gzip),
      ]),
    ];
    parts.push(table(['kind', 'file', 'size', 'gzip'], fileRows));
    parts.push(`\nFirst-load CSS: ${kB(size.firstLoadCssGzip)} gzip.`);
  }
  if (memory) {
    parts.push('\n### 6. Memory (after a forced GC)\n');
    parts.push(
      table(
        [
          'tab before',
          'tab after 10 replies',
          'reply text',
          'DOM elements',
          'worker idle',
          'worker, 20 sessions streaming',
          'worker after',
          'streams at once',
        ],
        [
          [
            MB(memory.tab.heapBefore),
            MB(memory.tab.heapAfter),
            `${count(memory.tab.replyChars)} chars`,
            count(memory.tab.domNodes),
            MB(memory.worker.heapIdle),
            MB(memory.worker.heapStreaming),
            MB(memory.worker.heapAfter),
            count(memory.worker.concurrentStreams),
          ],
        ],
      ),
    );
  }
  if (results.search) parts.push(searchDetails(results.search));
  if (results.sync) parts.push(syncDetails(results.sync));
  return parts.join('\n');
}

export function writeReport(path: { json: string; readme: string }, info: RunInfo, results: BenchResults): Row[] {
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
  writeFileSync(path.readme, readme);
  return rows;
}
