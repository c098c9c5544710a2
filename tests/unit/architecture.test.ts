import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(__dirname, '../../src');

/** A source file: its path under src/ (posix) and its text. */
interface Source {
  path: string;
  text: string;
}

function readSources(directory: string): Source[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return readSources(path);
    return /\.(ts|tsx)$/.test(name)
      ? [{ path: relative(src, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }]
      : [];
  });
}

/** Every module a file imports: package names as written, local files as paths under src/. */
function importsOf(source: Source): string[] {
  const pattern =
    /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  return [...source.text.matchAll(pattern)]
    .map((match) => match[1] ?? match[2] ?? match[3])
    .map((specifier) => (specifier.startsWith('.') ? posix.normalize(posix.join(dirname(source.path), specifier)) : specifier));
}

const isPackage = (specifier: string, name: string) => specifier === name || specifier.startsWith(`${name}/`);
const inLayer = (specifier: string, layer: string) => specifier.startsWith(`${layer}/`);

const LAYERS = ['shared', 'worker', 'client', 'ui'];
const isLocal = (specifier: string) => LAYERS.some((layer) => inLayer(specifier, layer));

/**
 * The packages the core may use, each for one job: storage, the provider SDK, streams, the
 * port, full-text search (bench/README.md, "Search library"), reading zipped exports, and sync.
 */
const WORKER_PACKAGES = [
  'idb',
  'openai',
  'rxjs',
  'comlink',
  'minisearch',
  'fflate',
  'pouchdb-core',
  'pouchdb-adapter-indexeddb',
  'pouchdb-adapter-http',
  'pouchdb-replication',
];

/** What each layer may not import (docs/ARCHITECTURE.md, "Layers"). */
const RULES: Record<string, (specifier: string) => boolean> = {
  shared: (target) => !inLayer(target, 'shared'),
  worker: (target) =>
    inLayer(target, 'ui') ||
    inLayer(target, 'client') ||
    (!isLocal(target) && !WORKER_PACKAGES.some((name) => isPackage(target, name))),
  client: (target) =>
    !(inLayer(target, 'shared') || inLayer(target, 'client') || isPackage(target, 'comlink') || isPackage(target, 'rxjs')),
  ui: (target) => inLayer(target, 'worker') || isPackage(target, 'idb') || isPackage(target, 'openai'),
};

/** Every boundary a set of sources crosses, as "file → import" lines. */
function violations(sources: Source[]): string[] {
  return sources.flatMap((source) => {
    const layer = source.path.split('/')[0];
    const forbidden = RULES[layer];
    if (!forbidden) return [];
    const found = importsOf(source)
      .filter(forbidden)
      .map((target) => `${source.path} → ${target}`);
    if (layer === 'ui' && /\bfetch\s*\(/.test(source.text)) found.push(`${source.path} calls fetch`);
    return found;
  });
}

describe('layer boundaries (docs/ARCHITECTURE.md)', () => {
  it('the source tree crosses none', () => {
    const sources = readSources(src);
    expect(sources.some((source) => source.path.startsWith('worker/'))).toBe(true);
    expect(violations(sources)).toEqual([]);
  });

  it('the checker catches each kind of crossing', () => {
    const sources: Source[] = [
      { path: 'shared/a.ts', text: "import { x } from '../worker/core';" },
      { path: 'worker/b.ts', text: "import { createSignal } from 'solid-js';\nimport { y } from '../shared/protocol';" },
      { path: 'worker/search/f.ts', text: "import MiniSearch from 'minisearch';\nimport lodash from 'lodash';" },
      { path: 'client/c.ts', text: "import OpenAI from 'openai';" },
      { path: 'ui/d.tsx', text: "import { openDB } from 'idb';\nconst z = await import('../worker/core');\nfetch('/x');" },
      {
        path: 'ui/e.tsx',
        text: "import { reconcile } from 'solid-js/store';\nimport type { CoreClient } from '../client/core-client';",
      },
    ];
    expect(violations(sources)).toEqual([
      'shared/a.ts → worker/core',
      'worker/b.ts → solid-js',
      'worker/search/f.ts → lodash',
      'client/c.ts → openai',
      'ui/d.tsx → idb',
      'ui/d.tsx → worker/core',
      'ui/d.tsx calls fetch',
    ]);
  });
});

describe('file size (docs/ARCHITECTURE.md, "Layers")', () => {
  it('no source file but the protocol is over 300 lines: a longer one holds more than one job', () => {
    const long = readSources(src)
      .filter((source) => source.path !== 'shared/protocol.ts')
      .filter((source) => source.text.split('\n').length - 1 > 300)
      .map((source) => source.path);
    expect(long).toEqual([]);
  });
});

describe('casts', () => {
  it('nothing in src/ is cast through unknown: a type that does not fit is fixed, not silenced', () => {
    const cast = readSources(src)
      .filter((source) => /\bas unknown as\b/.test(source.text))
      .map((source) => source.path);
    expect(cast).toEqual([]);
  });
});
