import type { LockRequester } from '../../shared/locks';

/**
 * Hold the core's liveness lock until this worker dies. Called synchronously when the worker
 * starts, so the request is queued before any tab can attach and queue its own.
 */
export function holdCoreLock(locks: LockRequester | undefined, lockName: string): void {
  void locks?.request(lockName, () => new Promise<never>(() => undefined)).catch(() => undefined);
}
