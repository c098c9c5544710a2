import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const src = join(root, 'src');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Every module a file imports: package names as written, local files as paths under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)]
    .map((match) => match[1] ?? match[2] ?? match[3]);
  return specifiers.map((specifier) =>
    specifier.startsWith('.') ? relative(src, resolve(dirname(file), specifier)) : specifier,
  );
}

function layerOf(file: string): string {
  return relative(src, file).split('/')[0];
}

function isPackage(specifier: string, name: string): boolean {
  return specifier === name || specifier.startsWith(`${name}/`);
}

const files = sourceFiles(src);

describe('layer boundaries (ARCHITECTURE.md)', () => {
  it('finds the layers', () => {
    expect(new Set(files.map(layerOf))).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    expect(files.some((file) => layerOf(file) === 'worker')).toBe(true);
    expect(files.some((file) => layerOf(file) === 'shared')).toBe(true);
  });

  it('shared/ imports nothing outside itself', () => {
    const offenders = files
      .filter((file) => layerOf(file) === 'shared')
      .flatMap((file) => importsOf(file).filter((target) => !target.startsWith('shared/')).map((target) => `${relative(src, file)} → ${target}`));
    expect(offenders).toEqual([]);
  });

  it('worker/ never imports solid-js, the ui or the client', () => {
    const offenders = files
      .filter((file) => layerOf(file) === 'worker')
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => isPackage(target, 'solid-js') || target.startsWith('ui/') || target.startsWith('client/'))
          .map((target) => `${relative(src, file)} → ${target}`),
      );
    expect(offenders).toEqual([]);
  });

  it('client/ uses only shared/, comlink and rxjs', () => {
    const offenders = files
      .filter((file) => layerOf(file) === 'client')
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => !(target.startsWith('shared/') || target.startsWith('client/') || isPackage(target, 'comlink') || isPackage(target, 'rxjs')))
          .map((target) => `${relative(src, file)} → ${target}`),
      );
    expect(offenders).toEqual([]);
  });

  it('ui/ never touches the worker, idb, openai or fetch', () => {
    const offenders = files
      .filter((file) => layerOf(file) === 'ui')
      .flatMap((file) => {
        const bad = importsOf(file)
          .filter((target) => target.startsWith('worker/') || isPackage(target, 'idb') || isPackage(target, 'openai'))
          .map((target) => `${relative(src, file)} → ${target}`);
        if (/\bfetch\s*\(/.test(readFileSync(file, 'utf8'))) bad.push(`${relative(src, file)} calls fetch`);
        return bad;
      });
    expect(offenders).toEqual([]);
  });

  it('catches a violation (the checker itself works)', () => {
    const fake = join(src, 'worker', 'x.ts');
    expect(importsOf(join(src, 'worker', 'session', 'tab-session.ts'))).toContain('worker/core');
    expect(relative(src, fake).startsWith('worker/')).toBe(true);
    expect(isPackage('solid-js/store', 'solid-js')).toBe(true);
  });
});
