/**
 * Reaching a sync server and agreeing on keys: the first device to sync a database writes how
 * keys are derived (salt, iterations) and a sealed check; every other device derives the same
 * keys from the same passphrase, and a wrong passphrase fails to open the check — a clear error,
 * never garbage.
 */
import { parseBaseUrl } from '../../shared/base-url';
import type { ErrorInfo, Result, SyncSetup } from '../../shared/protocol';
import { fail, ok } from '../../shared/result';
import { StorageError, toStorageError } from '../storage/errors';
import { deriveKeys, isSafeDerivation, newDerivation, openJson, sealJson, type KeyDerivation, type SyncKeys } from './crypto';
import { META_ID, type MetaDocument, type Mirror, type PouchFactory } from './mirror';

const CHECK = 'parley-sync-check';

/** A failure of the server or of PouchDB, in words a person can act on. */
export function describeFailure(error: unknown): ErrorInfo {
  const failure = (error ?? {}) as { status?: number; name?: string; message?: string; reason?: string };
  // Parley's own stores failed (a batch from the server could not be saved): not the server.
  if (error instanceof StorageError || failure.name === 'QuotaExceededError') return toStorageError(error);
  if (failure.status === 401 || failure.status === 403) {
    return {
      kind: 'auth',
      httpStatus: failure.status,
      retryable: false,
      message: 'The sync server refused the user name or password. Check them, and that this user may use the database.',
    };
  }
  if (failure.status === 404) {
    return {
      kind: 'config',
      httpStatus: 404,
      retryable: false,
      message: 'There is no database at that address. Create it on the server first (the README’s “Sync” section shows how).',
    };
  }
  if (!failure.status) {
    return {
      kind: 'network',
      retryable: true,
      message:
        'Couldn’t reach the sync server. Changes wait here and go when it answers. If it is running, it may not allow this page (CORS): see the README’s “Sync” section.',
    };
  }
  return {
    kind: 'server',
    httpStatus: failure.status,
    retryable: true,
    message: `The sync server answered with an error (HTTP ${failure.status}${failure.reason ? `: ${failure.reason}` : ''}).`,
  };
}

export interface Connection {
  server: Mirror;
  derivation: KeyDerivation;
  keys: SyncKeys;
}

/**
 * The key document, when the database has one; a document of another shape reads as someone
 * else's, and one asking for a salt or an iteration count Parley never writes as unsafe.
 */
async function readMeta(server: Mirror, minimumIterations?: number): Promise<MetaDocument | 'foreign' | 'unsafe' | undefined> {
  let document: Record<string, unknown>;
  try {
    document = await server.get(META_ID);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
  const { format, salt, iterations, check } = document;
  if (format !== 'parley-sync' || typeof salt !== 'string' || typeof iterations !== 'number' || typeof check !== 'string')
    return 'foreign';
  if (!isSafeDerivation(salt, iterations, minimumIterations)) return 'unsafe';
  return { _id: META_ID, format, version: 1, salt, iterations, check };
}

/** The keys of a database already synced from another device, or of a new one (written now). */
async function agreeOnKeys(server: Mirror, passphrase: string, iterations?: number): Promise<Result<Omit<Connection, 'server'>>> {
  let meta = await readMeta(server, iterations);
  if (!meta) {
    const derivation = newDerivation(iterations);
    const keys = await deriveKeys(passphrase, derivation);
    const created: MetaDocument = {
      _id: META_ID,
      format: 'parley-sync',
      version: 1,
      ...derivation,
      check: await sealJson(keys, META_ID, CHECK),
    };
    try {
      await server.put({ ...created });
      return ok({ derivation, keys });
    } catch (error) {
      // Another device wrote it first: its derivation is the one to use.
      if ((error as { status?: number }).status !== 409) throw error;
      meta = await readMeta(server, iterations);
      if (!meta) throw error;
    }
  }
  if (meta === 'foreign')
    return fail('config', 'That database holds something other than Parley data. Use a database of its own for Parley.');
  if (meta === 'unsafe') {
    return fail(
      'config',
      'That database asks for encryption settings Parley never uses, so they were not tried. Use a database of its own for Parley.',
    );
  }
  const derivation = { salt: meta.salt, iterations: meta.iterations };
  const keys = await deriveKeys(passphrase, derivation);
  const opened = await openJson<string>(keys, META_ID, meta.check).catch(() => undefined);
  if (opened !== CHECK) {
    return fail(
      'config',
      'That passphrase does not open the data already in this database. Use the passphrase you chose on your first device.',
    );
  }
  return ok({ derivation, keys });
}

/** Check the address, the login and the passphrase; nothing is stored here yet. */
export async function connectServer(setup: SyncSetup, pouch: PouchFactory, iterations?: number): Promise<Result<Connection>> {
  const url = parseBaseUrl(setup.url);
  if (!url.ok) return url;
  if (!setup.passphrase)
    return fail('config', 'Choose a passphrase: everything is encrypted with it before it leaves this device.');
  const server = pouch.server(url.value, { username: setup.username, password: setup.password });
  try {
    await server.info();
    const agreed = await agreeOnKeys(server, setup.passphrase, iterations);
    return agreed.ok ? ok({ server, ...agreed.value }) : agreed;
  } catch (error) {
    return { ok: false, error: describeFailure(error) };
  }
}
