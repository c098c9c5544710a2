/**
 * Every Web Lock and BroadcastChannel name Parley uses, and the part of the Web Locks API it
 * needs. A name that concerns one build carries its id, so tabs of two builds never elect one
 * leader or talk through one relay; the database's lock carries the database's name, because
 * every build writes the same database.
 */

/** The part of the Web Locks API Parley uses: `navigator.locks`, or an in-memory one in tests. */
export interface LockRequester {
  request(name: string, callback: (lock: unknown) => unknown): Promise<unknown>;
  /** With `ifAvailable`, the callback gets `null` at once when the lock is taken. */
  request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => unknown): Promise<unknown>;
}

/** Held by a tab for its life; whoever asks for it is granted it once the tab is gone. */
export function tabLockName(tabId: string): string {
  return `parley-tab-${tabId}`;
}

/**
 * Held by the core (the SharedWorker, or the leader's dedicated worker) for its whole life. The
 * tab that started it asks for the same lock and is granted it only once that core is gone — a
 * crash of the renderer process it shared with some tab, or a kill.
 */
export function coreLockName(buildId: string): string {
  return `parley-core-${buildId}`;
}

/** Without SharedWorker: held by the one tab whose dedicated worker runs the core. */
export function leaderLockName(buildId: string): string {
  return `parley-leader-${buildId}`;
}

/** Without SharedWorker: where tabs ask the leader for a link, and the leader says it leads. */
export function relayChannelName(buildId: string): string {
  return `parley-relay-${buildId}`;
}

/** Without SharedWorker: one follower's link to the leader, carrying its port's traffic. */
export function linkChannelName(buildId: string, linkId: string): string {
  return `parley-link-${buildId}-${linkId}`;
}

/**
 * Held by a core for its life once granted: the one core that may treat a `streaming` row as
 * abandoned. Granted only when every core that held it before is gone, whatever its build.
 */
export function writerLockName(databaseName: string): string {
  return `parley-writer-${databaseName}`;
}
