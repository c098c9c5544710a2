/**
 * 5. Size of the normal production build (dist/, from `npm run build`), gzip -9 per file:
 * the main-thread JS a first load runs (index.html's module scripts and modulepreloads, and
 * everything they import statically), the worker's JS, the lazy chunks, CSS, and the service
 * worker's precache list when the build has one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { newContext } from './lib/browser';
import type { BenchEnv } from './lib/env';
import { startAppServer } from './lib/servers';

export interface FileSize {
  file: string;
  bytes: number;
  gzip: number;
}

export interface SizeResult {
  /** What index.html loads eagerly, following static imports. */
  firstLoadJs: FileSize[];
  firstLoadJsGzip: number;
  firstLoadCssGzip: number;
  /** The SharedWorker's entry and its static imports. */
  workerJs: FileSize[];
  workerJsGzip: number;
  /** Every other JS chunk (loaded on demand), largest first. */
  lazyJs: FileSize[];
  lazyJsGzip: number;
  /**
   * What a first visit's page actually fetched (resource timing, a second after it rendered):
   * the static closure plus anything imported dynamically at start (e.g. workbox-window).
   */
  fetchedAtStartJs: FileSize[];
  fetchedAtStartJsGzip: number;
  /** From the service worker's precache manifest; absent when the build has none. */
  precache?: { entries: number; bytes: number; gzip: number };
}

function sizeOf(directory: string, file: string): FileSize {
  const content = readFileSync(join(directory, file));
  return { file, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length };
}

/** Static imports of an ES chunk (`import … from "./x.js"`, `import "./x.js"`, `export … from`). */
function staticImports(code: string): string[] {
  const found = new Set<string>();
  const pattern = /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g;
  for (const match of code.matchAll(pattern)) found.add(match[1]);
  return [...found];
}

/** Follow static imports from `entries` (paths relative to dist/). */
function closure(directory: string, entries: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file) || !existsSync(join(directory, file))) continue;
    seen.add(file);
    const code = readFileSync(join(directory, file), 'utf8');
    for (const specifier of staticImports(code)) queue.push(posix.normalize(posix.join(posix.dirname(file), specifier)));
  }
  return [...seen];
}

const total = (files: FileSize[], key: 'bytes' | 'gzip' = 'gzip') => files.reduce((sum, file) => sum + file[key], 0);
const local = (url: string) => url.replace(/^\//, '');

/** Load the normal build once in a fresh context and list the JS its page fetched. */
async function fetchedAtStart(env: Pick<BenchEnv, 'browser' | 'distDirectory'>): Promise<string[]> {
  const server = await startAppServer(env.distDirectory);
  const context = await newContext(env.browser);
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#root > *');
    // What the start imports on its own (the service worker glue) arrives within a moment.
    await page.waitForTimeout(1000);
    const urls = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
    return urls.map((url) => local(new URL(url).pathname)).filter((path) => path.endsWith('.js'));
  } finally {
    await context.close();
    await server.close();
  }
}

export async function measureSize(env: Pick<BenchEnv, 'browser' | 'distDirectory'>): Promise<SizeResult> {
  const directory = env.distDirectory;
  const html = readFileSync(join(directory, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((match) => local(match[1]));
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((match) => local(match[1]));
  const styles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((match) => local(match[1]));
  const firstLoad = closure(directory, [...scripts, ...preloads]);

  const assets = readdirSync(join(directory, 'assets'))
    .filter((file) => file.endsWith('.js'))
    .map((file) => `assets/${file}`);
  const workerEntries = assets.filter((file) => /\/shared-worker-[^/]*\.js$/.test(file));
  const worker = closure(directory, workerEntries);
  // The dedicated-worker fallback is loaded only where SharedWorker is missing: a lazy chunk.
  const lazy = assets.filter((file) => !firstLoad.includes(file) && !worker.includes(file));

  const firstLoadJs = firstLoad.map((file) => sizeOf(directory, file));
  const workerJs = worker.map((file) => sizeOf(directory, file));
  const lazyJs = lazy.map((file) => sizeOf(directory, file)).sort((a, b) => b.gzip - a.gzip);

  let precache: SizeResult['precache'];
  const serviceWorker = join(directory, 'sw.js');
  if (existsSync(serviceWorker)) {
    const urls = [
      ...new Set([...readFileSync(serviceWorker, 'utf8').matchAll(/"url":\s*"([^"]+)"/g)].map((match) => local(match[1]))),
    ];
    const files = urls
      .filter((url) => existsSync(join(directory, url)) && statSync(join(directory, url)).isFile())
      .map((url) => sizeOf(directory, url));
    precache = { entries: urls.length, bytes: total(files, 'bytes'), gzip: total(files) };
  }

  const fetchedAtStartJs = (await fetchedAtStart(env))
    .filter((file) => existsSync(join(directory, file)))
    .map((file) => sizeOf(directory, file));

  return {
    firstLoadJs,
    fetchedAtStartJs,
    fetchedAtStartJsGzip: total(fetchedAtStartJs),
    firstLoadJsGzip: total(firstLoadJs),
    firstLoadCssGzip: total(styles.map((file) => sizeOf(directory, file))),
    workerJs,
    workerJsGzip: total(workerJs),
    lazyJs,
    lazyJsGzip: total(lazyJs),
    ...(precache ? { precache } : {}),
  };
}
