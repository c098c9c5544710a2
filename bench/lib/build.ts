/** The bench's own build: the app with `__BENCH__` hooks on, in dist-bench/. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BENCH_DIST = fileURLToPath(new URL('../../dist-bench/', import.meta.url));
export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

export function buildBenchApp(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['vite', 'build', '--outDir', 'dist-bench', '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, PARLEY_BENCH: '1' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench build failed (exit ${code})`))));
  });
}
