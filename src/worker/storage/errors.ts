import type { ErrorInfo } from '../../shared/protocol';

/**
 * A storage failure as data. Repository methods throw it (rather than a raw DOMException) so the
 * core can hand `info` to a tab: Comlink would strip every field of a thrown DOMException but its
 * name and message.
 */
export class StorageError extends Error {
  readonly info: ErrorInfo;

  constructor(info: ErrorInfo, options?: { cause?: unknown }) {
    super(info.message, options);
    this.name = 'StorageError';
    this.info = info;
  }
}

// Firefox before version 60 reported a full disk under its own name.
const QUOTA_ERROR_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

function errorName(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string') {
    return error.name;
  }
  return undefined;
}

/** Classifies a failure of IndexedDB (or of code running inside a transaction) for a person. */
export function toStorageError(error: unknown): ErrorInfo {
  if (error instanceof StorageError) return error.info;
  const name = errorName(error);
  if (name !== undefined && QUOTA_ERROR_NAMES.has(name)) {
    return {
      kind: 'storage',
      message:
        "Your browser's storage for Parley is full. Free space (delete old conversations) or allow more storage; nothing already saved was changed.",
      retryable: false,
    };
  }
  // The connection is closed once another version of Parley takes the database over, and
  // only a reload gets a tab onto the new version.
  if (name === 'InvalidStateError') {
    return {
      kind: 'storage',
      message: 'Parley could not reach its saved data because a newer version took over. Reload the page.',
      retryable: false,
    };
  }
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  return {
    kind: 'storage',
    message: `Parley could not save to the browser's storage${detail}. Try again; if it keeps failing, reload the page.`,
    retryable: true,
  };
}

/** Wraps any failure in a {@link StorageError}, keeping the original as `cause`. */
export function asStorageError(error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  return new StorageError(toStorageError(error), { cause: error });
}

/** A failed `Result` from a storage exception. */
export function storageFailure(error: unknown): { ok: false; error: ErrorInfo } {
  return { ok: false, error: toStorageError(error) };
}
