import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';

export default defineConfig({
  define: { __BUILD_ID__: JSON.stringify('test'), __BENCH__: 'false' },
  test: {
    // PouchDB's HTTP adapter (on node-fetch in Node) leaves a rejected request unobserved when a
    // sync test cuts the server's connections on purpose ("the server is down"). Only that is let
    // through; every other unhandled error still fails the run.
    onUnhandledError: (error) =>
      !(error.name === 'FetchError' && /socket hang up|ECONNRESET|ECONNREFUSED/.test(error.message ?? '')),
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/{unit,storage,contract,providers,session,data-transfer,sync,search}/**/*.test.ts'],
        },
      },
      {
        extends: true,
        plugins: [solid()],
        resolve: { conditions: ['development', 'browser'] },
        test: {
          name: 'ui',
          environment: 'jsdom',
          include: ['tests/ui/**/*.test.{ts,tsx}'],
        },
      },
    ],
  },
});
