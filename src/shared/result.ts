import type { ErrorInfo, ErrorKind, Result } from './protocol';

/** A successful `Result`. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** A failed `Result` with a message for a person. */
export function fail(kind: ErrorKind, message: string, extra: Partial<ErrorInfo> = {}): { ok: false; error: ErrorInfo } {
  return { ok: false, error: { kind, message, retryable: false, ...extra } };
}
