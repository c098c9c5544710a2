import type { ErrorInfo } from '../../shared/protocol';

/** Timings of a run; tests shorten them. */
export interface GenerationTimings {
  /** Deltas are coalesced into at most one batch per this many ms (~one animation frame). */
  batchIntervalMs: number;
  /** The partial reply is written to IndexedDB at most this often. */
  checkpointIntervalMs: number;
  /** Retries before the first token. */
  maxRetries: number;
  /** Backoff before retry n is `retryBaseMs * 2^(n-1)` unless the provider says otherwise. */
  retryBaseMs: number;
  /** A `retry-after` longer than this is not waited for: the run ends with the error. */
  maxRetryAfterMs: number;
  /** No bytes for this long ends the stream as stalled. */
  stallTimeoutMs: number;
  /** While the provider is unreachable, probe it after this long, doubling up to the max. */
  reachabilityBaseMs: number;
  reachabilityMaxMs: number;
}

export const DEFAULT_TIMINGS: GenerationTimings = {
  batchIntervalMs: 16,
  checkpointIntervalMs: 250,
  maxRetries: 3,
  retryBaseMs: 1000,
  maxRetryAfterMs: 60_000,
  stallTimeoutMs: 60_000,
  reachabilityBaseMs: 1000,
  reachabilityMaxMs: 10_000,
};

/** The failure a run ends with when the user stopped it while it waited. */
export const STOPPED: ErrorInfo = { kind: 'aborted', retryable: false, message: 'The reply was stopped.' };

/**
 * How long to wait before retry `attempt + 1` of a request that failed before any text, or
 * undefined when this failure ends the run: not retryable, out of attempts, a stream that broke
 * or stalled (sending it again would cost the same again), or a `retry-after` too long to wait.
 */
export function retryDelay(failure: ErrorInfo, attempt: number, timings: GenerationTimings): number | undefined {
  if (!failure.retryable || attempt >= timings.maxRetries) return undefined;
  if (failure.kind === 'malformed-stream' || failure.kind === 'timeout') return undefined;
  if (failure.retryAfterMs !== undefined) {
    return failure.retryAfterMs <= timings.maxRetryAfterMs ? failure.retryAfterMs : undefined;
  }
  return timings.retryBaseMs * 2 ** attempt;
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function abortable(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Probe with growing pauses (the timings' reachability base, doubling to its max) until `probe`
 * says the provider answers (true) or `signal` aborts (false).
 */
export async function untilReachable(
  probe: () => Promise<boolean>,
  signal: AbortSignal,
  timings: Pick<GenerationTimings, 'reachabilityBaseMs' | 'reachabilityMaxMs'>,
): Promise<boolean> {
  for (let delay = timings.reachabilityBaseMs; ; delay = Math.min(delay * 2, timings.reachabilityMaxMs)) {
    if (!(await abortable(delay, signal))) return false;
    if (await probe()) return true;
  }
}
