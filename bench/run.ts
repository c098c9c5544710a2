/**
 * `npm run bench`: every measurement of issue 6, end to end, in real Chromium against the mock
 * provider. `npm run build` has just built dist/ (sizes are measured on it); this builds
 * dist-bench/ with the `__BENCH__` hooks, serves it, starts the mock, runs each measurement
 * `--runs` times (default 3) and writes bench/results.json and bench/README.md.
 *
 *   npm run bench                                    everything
 *   npx tsx bench/run.ts --only=fanout,render --runs=5 --skip-build
 *
 * `--only` runs a subset and leaves results.json and README.md alone unless `--write` is given;
 * with `--write`, the subset's figures replace theirs in the last results.json and the rest stay.
 * `PARLEY_BENCH_DIST=<dir>` serves another bench build (to compare a change against the last).
 * `--report-only` rewrites README.md from the last results.json, measuring nothing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measureFanOut } from './fanout';
import { measureHistory } from './history';
import { measureMemory } from './memory';
import { measureRender } from './render';
import { measureSearch } from './search';
import { measureSize } from './size';
import { measureStorage } from './storage';
import { measureSync } from './sync';
import { buildBenchApp, BENCH_DIST, DIST, ROOT } from './lib/build';
import { chromiumPath, launchBrowser } from './lib/browser';
import type { BenchEnv } from './lib/env';
import { machineInfo } from './lib/machine';
import { writeReport, type BenchResults, type RunInfo } from './lib/report';
import { startAppServer, startMock } from './lib/servers';

const MEASUREMENTS = ['fanout', 'render', 'history', 'storage', 'size', 'memory', 'search', 'sync'] as const;
type MeasurementName = (typeof MEASUREMENTS)[number];

function option(name: string): string | undefined {
  return process.argv.find((argument) => argument.startsWith(`--${name}=`))?.split('=')[1];
}

const runs = Number(option('runs') ?? 3);
const only = (option('only')?.split(',') ?? MEASUREMENTS) as MeasurementName[];
const unknown = only.filter((name) => !MEASUREMENTS.includes(name));
if (unknown.length > 0 || !(runs >= 1)) {
  console.error(`usage: tsx bench/run.ts [--only=${MEASUREMENTS.join(',')}] [--runs=N] [--skip-build] [--write] [--report-only]`);
  process.exit(2);
}
const writeResults = !option('only') || process.argv.includes('--write');
const started = Date.now();
const log = (message: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'index.html', 'vite.config.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head} (+ uncommitted changes in src/)` : head;
  } catch {
    return 'unknown';
  }
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

// `--report-only`: rewrite README.md from the last results.json (after editing the report's prose).
if (process.argv.includes('--report-only')) {
  const last = JSON.parse(readFileSync(here('./results.json'), 'utf8')) as RunInfo & { results: BenchResults };
  const { summary: _summary, results: lastResults, ...lastInfo } = last as RunInfo & { results: BenchResults; summary?: unknown };
  await writeReport({ json: here('./results.json'), readme: here('./README.md') }, lastInfo, lastResults);
  console.log('bench: README.md rewritten from results.json');
  process.exit(0);
}

if (!process.argv.includes('--skip-build')) {
  log('building dist-bench/ (PARLEY_BENCH=1)…');
  await buildBenchApp();
}
const app = await startAppServer(process.env.PARLEY_BENCH_DIST || BENCH_DIST);
const mock = await startMock();
const browser = await launchBrowser();
const browserVersion = browser.version();
const env: BenchEnv = { browser, appUrl: app.url, distDirectory: DIST, mock, runs, log };
const results: BenchResults = {};
try {
  log(`app ${app.url}, mock ${mock.url}, ${runs} run(s) each: ${only.join(', ')}`);
  if (only.includes('size')) results.size = await measureSize(env);
  if (only.includes('fanout')) results.fanout = await measureFanOut(env);
  if (only.includes('render')) results.render = await measureRender(env);
  if (only.includes('storage')) results.storage = await measureStorage(env);
  if (only.includes('memory')) results.memory = await measureMemory(env);
  if (only.includes('history')) results.history = await measureHistory(env);
  if (only.includes('search')) results.search = await measureSearch(env);
  if (only.includes('sync')) results.sync = await measureSync(env);
} finally {
  await browser.close();
  await mock.close();
  await app.close();
}

const info: RunInfo = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  command:
    process.env.npm_lifecycle_event === 'bench'
      ? 'npm run bench'
      : `npx tsx bench/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
  runs,
  durationS: Math.round((Date.now() - started) / 1000),
  commit: commit(),
  machine: machineInfo(chromiumPath(), browserVersion),
};
// A subset written: the other measurements keep the figures of the last run that had them.
if (option('only') && writeResults) {
  const last = JSON.parse(readFileSync(here('./results.json'), 'utf8')) as RunInfo & { results: BenchResults };
  const carried = Object.keys(last.results).filter((name) => results[name as keyof BenchResults] === undefined);
  for (const name of carried) Object.assign(results, { [name]: last.results[name as keyof BenchResults] });
  if (carried.length > 0) {
    Object.assign(info, {
      carriedOver: {
        measurements: carried,
        date: last.carriedOver?.date ?? last.date,
        commit: last.carriedOver?.commit ?? last.commit,
      },
    });
  }
}
const paths = writeResults
  ? { json: here('./results.json'), readme: here('./README.md') }
  : { json: here('./.tmp/results.json'), readme: here('./.tmp/README.md') };
const rows = await writeReport(paths, info, results);
for (const row of rows) {
  const verdict = row.met === undefined ? '' : row.met ? '  ✓ met' : `  ✗ MISSED (${row.gap})`;
  console.log(
    `${row.measurement.padEnd(12)} ${row.figure}: ${row.result}${row.target !== '—' ? ` [target ${row.target}]` : ''}${verdict}`,
  );
}
log(`wrote ${paths.json} and ${paths.readme}`);
