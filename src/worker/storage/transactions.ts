/**
 * The two ways the repository touches the database. Both turn any failure into a StorageError;
 * a write also aborts its transaction on failure, so a logical change lands whole or not at all.
 *
 * Bodies await only IndexedDB requests, and one request at a time: a transaction commits as
 * soon as nothing is pending, and a request that throws synchronously must not leave earlier
 * ones to reject unobserved after the abort.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import { abortQuietly, type ParleyDatabase } from './database';
import { asStorageError } from './errors';
import type { ParleySchema } from './schema';

export type StoreName = StoreNames<ParleySchema>;
export type WriteTransaction<Names extends StoreName[]> = IDBPTransaction<ParleySchema, Names, 'readwrite'>;

export async function readStores<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw asStorageError(error);
  }
}

export async function writeStores<Names extends StoreName[], T>(
  database: ParleyDatabase,
  storeNames: Names,
  body: (transaction: WriteTransaction<Names>) => Promise<T>,
): Promise<T> {
  let transaction: WriteTransaction<Names> | undefined;
  try {
    transaction = database.transaction(storeNames, 'readwrite');
    const result = await body(transaction);
    await transaction.done;
    return result;
  } catch (error) {
    if (transaction) {
      // `done` rejects once aborted; the failure that matters is `error`.
      transaction.done.catch(() => undefined);
      abortQuietly(transaction);
    }
    throw asStorageError(error);
  }
}
