import type { LockRequester } from '../../shared/locks';

const holdUntilDeath = (): Promise<never> => new Promise<never>(() => undefined);

/**
 * Claim the database's single-writer lock for the life of this core, and run `recover` (rows
 * left `streaming` become `interrupted`) only while holding it. Being granted that lock is the
 * one proof that every core which held it before is gone — whatever its build, whichever entry
 * started it — so a `streaming` row written by any of them can no longer be finished by it.
 * Another core may be alive beside this one: a SharedWorker of another build, or (without
 * SharedWorker) the previous leader's worker on its way out; its replies must not be cut.
 *
 * 1. The lock is free: take it, recover, and only then resolve — no tab is served before the
 *    rows are right.
 * 2. It is taken: resolve at once (tabs are served), and queue for it. When it is granted, the
 *    core that held it is gone: recover then. By that time this core may be writing replies of
 *    its own; `recover` must leave those alone.
 * 3. The lock is never released: it goes when this worker dies.
 *
 * Without Web Locks (tests in Node) there is no other core to wait for: recover at once.
 */
export function claimDatabaseWriter(
  locks: LockRequester | undefined,
  lockName: string,
  recover: () => Promise<void>,
): Promise<void> {
  if (!locks) return recover();
  return new Promise((resolve, reject) => {
    locks
      .request(lockName, { ifAvailable: true }, async (lock) => {
        if (lock) {
          await recover().then(resolve, reject);
          return holdUntilDeath();
        }
        resolve();
        void locks.request(lockName, async () => {
          // Late: a failure leaves the rows for the next core (tabs show them as interrupted anyway).
          await recover().catch(() => undefined);
          return holdUntilDeath();
        });
        return undefined;
      })
      .catch(reject);
  });
}
