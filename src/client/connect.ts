import type * as Comlink from 'comlink';
import { coreLockName } from '../shared/locks';
import { makeCoreClient, type CoreClient } from './core-client';
import { watchCoreLiveness } from './core-liveness';

/** The worker's name carries the build: tabs of two builds never share one core unnoticed. */
const WORKER_NAME = `parley-core-${__BUILD_ID__}`;

/**
 * Whether the worker may outlive its last tab. On by default; `parley:extended-lifetime` =
 * `off` in localStorage turns it off, for tests of the "worker died mid-reply" path.
 */
function extendedLifetime(): boolean {
  try {
    return localStorage.getItem('parley:extended-lifetime') !== 'off';
  } catch {
    return true;
  }
}

/**
 * Start (or join) the core. Built in exactly one place because every tab must construct the
 * SharedWorker with identical options, or the browser refuses to connect it to the running one.
 */
function startWorker(): Comlink.Endpoint {
  if (typeof SharedWorker === 'function') {
    const worker = new SharedWorker(new URL('../worker/shared-worker.ts', import.meta.url), {
      type: 'module',
      name: WORKER_NAME,
      // Chromium 148+: a reply in flight finishes after the last tab closes.
      extendedLifetime: extendedLifetime(),
    });
    worker.port.start();
    return worker.port;
  }
  // TODO(fallback): browsers without SharedWorker get a core per tab; leader election over Web
  // Locks (ARCHITECTURE.md "Fallback") is not built yet, so such tabs don't share live replies.
  return new Worker(new URL('../worker/dedicated-worker.ts', import.meta.url), { type: 'module', name: WORKER_NAME });
}

/**
 * Hold this tab's liveness lock for as long as the tab lives. The core asks for the same lock
 * and is granted it only when the tab is gone, however it died.
 */
function holdTabLock(lockName: string): Promise<void> {
  return new Promise((granted) => {
    if (!navigator.locks) {
      granted();
      return;
    }
    void navigator.locks.request(lockName, () => {
      granted();
      return new Promise<never>(() => undefined);
    });
  });
}

/** Connect this tab to the core: worker, liveness lock, attach, subscribe. */
export async function connectToCore(): Promise<CoreClient> {
  const tabId = crypto.randomUUID();
  const lockName = `parley-tab-${tabId}`;
  await holdTabLock(lockName);
  const client = await makeCoreClient(startWorker(), { tabId, lockName, buildId: __BUILD_ID__ });
  // A core that died mid-reply would leave this tab showing "writing" forever. Reloading starts
  // a new core, which marks the reply interrupted (Resume continues it); drafts are kept.
  if (typeof SharedWorker === 'function') watchCoreLiveness(client.api, coreLockName(__BUILD_ID__), () => location.reload());
  return client;
}
