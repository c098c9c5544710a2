/**
 * Opening the database, and giving it up when another version of Parley needs it.
 *
 * Order of events when a newer build opens the database while this one holds it:
 * 1. The newer build's open request fires `versionchange` here (`blocking`).
 * 2. This connection closes at once, so the newer build's upgrade runs instead of waiting
 *    forever on us; transactions already running still finish.
 * 3. `onVersionChange` tells the core, which tells its tabs to reload (`core-outdated`).
 * From then on every call on this connection fails with a StorageError asking for a reload.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { asStorageError } from './errors';
import { DB_VERSION, DEFAULT_DATABASE_NAME, upgradeDatabase, type ParleySchema } from './schema';

export type ParleyDatabase = IDBPDatabase<ParleySchema>;

export interface OpenDatabaseOptions {
  /** This connection was closed to make way for another version; `reason` is for the tabs. */
  onVersionChange?: (reason: string) => void;
  /** This open waits on an older connection (an old tab) that has not closed yet. */
  onBlocked?: (reason: string) => void;
}

/** Throws a StorageError when the database cannot be opened or upgraded. */
export async function openDatabase(
  name: string = DEFAULT_DATABASE_NAME,
  options: OpenDatabaseOptions = {},
): Promise<ParleyDatabase> {
  let upgradeFailure: unknown;
  try {
    // Opened untyped: the upgrade steps pass through older shapes than ParleySchema (the seed's
    // stores). Once open, the database is at DB_VERSION, whose shape ParleySchema describes.
    const database = await openDB(name, DB_VERSION, {
      upgrade(database, oldVersion, _newVersion, transaction) {
        // The abort below rejects `done`, and the open request reports the failure instead.
        transaction.done.catch(() => undefined);
        upgradeDatabase(database, oldVersion, transaction, Date.now()).catch((error) => {
          upgradeFailure = error;
          abortQuietly(transaction);
        });
      },
      blocked(currentVersion) {
        options.onBlocked?.(
          `Another tab holds Parley's data at version ${currentVersion}; close or reload other Parley tabs to continue.`,
        );
      },
      blocking(currentVersion, blockedVersion, event) {
        (event.target as IDBDatabase).close();
        options.onVersionChange?.(
          blockedVersion === null
            ? "Parley's data is being deleted by another tab. Reload the page."
            : `A newer version of Parley (database version ${blockedVersion}, this tab has ${currentVersion}) took over. Reload the page.`,
        );
      },
      terminated() {
        options.onVersionChange?.("The browser closed Parley's database unexpectedly. Reload the page.");
      },
    });
    return database as IDBPDatabase<ParleySchema>;
  } catch (error) {
    throw asStorageError(upgradeFailure ?? error);
  }
}

/** Aborting a transaction that already finished throws; either way nothing more is written. */
export function abortQuietly(transaction: { abort(): void }): void {
  try {
    transaction.abort();
  } catch {
    // Already committed or aborted.
  }
}
