import type { LockRequester } from '../../shared/locks';

/**
 * Resolve when the tab holding `lockName` is gone. Each tab holds its lock for as long as it
 * lives; a closed, crashed or killed tab releases it, and this request is granted. A port never
 * reports that its tab died, so this is the only reliable signal.
 */
export function whenTabGone(locks: LockRequester, lockName: string): Promise<void> {
  return new Promise((resolve) => {
    // Returning immediately releases the lock again; the worker only needed to be granted it.
    locks.request(lockName, () => resolve()).catch(() => resolve());
  });
}
