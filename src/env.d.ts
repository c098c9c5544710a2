/// <reference types="vite/client" />

/** The build id Vite injects (see vite.config.ts); names the SharedWorker and the caches. */
declare const __BUILD_ID__: string;

/** True only in `PARLEY_BENCH=1` builds (bench/): measurement hooks, dead code otherwise. */
declare const __BENCH__: boolean;

/** Chromium 148+: keep a SharedWorker alive after its last tab closes, like a service worker. */
interface WorkerOptions {
  extendedLifetime?: boolean;
}
