import type * as Comlink from 'comlink';
import { coreLockName, tabLockName } from '../shared/locks';
import { CONNECT_MESSAGE } from '../shared/worker-connect';
import { makeCoreClient, type AttachIdentity, type CoreClient } from './core-client';
import { watchCoreLiveness } from './core-liveness';
import { connectThroughLeader } from './election/connect-through-leader';

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
function startSharedWorker(): Comlink.Endpoint {
  const worker = new SharedWorker(new URL('../worker/shared-worker.ts', import.meta.url), {
    type: 'module',
    name: WORKER_NAME,
    // Chromium 148+: a reply in flight finishes after the last tab closes.
    extendedLifetime: extendedLifetime(),
  });
  worker.port.start();
  return worker.port;
}

/** Without SharedWorker: start a core in a dedicated worker; each port handed to it serves one tab. */
function startDedicatedWorker(): { connect(port: MessagePort): void } {
  const worker = new Worker(new URL('../worker/dedicated-worker.ts', import.meta.url), { type: 'module', name: WORKER_NAME });
  return { connect: (port) => worker.postMessage(CONNECT_MESSAGE, [port]) };
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

/** A core that died mid-reply would leave this tab showing "writing" forever: reload onto a new one. */
function reloadWhenCoreDies(client: CoreClient): void {
  // Reloading starts a new core, which marks the reply interrupted (Resume continues it); drafts are kept.
  watchCoreLiveness(client.api, coreLockName(__BUILD_ID__), () => location.reload());
}

/**
 * Connect this tab to the core: liveness lock, worker, attach, subscribe.
 * - SharedWorker: one core per build for every tab.
 * - Without it (Chrome for Android before 148, Android WebViews): the tabs elect a leader whose
 *   dedicated worker runs the core; the others reach it through a relay (src/client/election).
 * - Without Web Locks or BroadcastChannel too, no election can happen: the tab runs a core of
 *   its own, as every tab once did.
 */
export async function connectToCore(): Promise<CoreClient> {
  const tabId = crypto.randomUUID();
  const identity: AttachIdentity = { tabId, lockName: tabLockName(tabId), buildId: __BUILD_ID__ };
  // The worker first: it takes a while to start on its own thread, and needs nothing of the lock.
  // Attaching waits for the lock: the core must find it held.
  const sharedWorker = typeof SharedWorker === 'function' ? startSharedWorker() : undefined;
  await holdTabLock(identity.lockName);
  if (sharedWorker) {
    const client = await makeCoreClient(sharedWorker, identity);
    reloadWhenCoreDies(client);
    return client;
  }
  if (!navigator.locks || typeof BroadcastChannel !== 'function') {
    const own = new MessageChannel();
    startDedicatedWorker().connect(own.port1);
    return makeCoreClient(own.port2, identity);
  }
  const { client, leading } = await connectThroughLeader({ identity, locks: navigator.locks, startCore: startDedicatedWorker });
  // Only the leader's own worker runs the core it watches; followers watch the leader's tab lock.
  void leading.then(() => reloadWhenCoreDies(client));
  return client;
}
