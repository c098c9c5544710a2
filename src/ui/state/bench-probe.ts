/**
 * Measurement hooks for `PARLEY_BENCH=1` builds (see bench/README.md). Every call site is
 * guarded by `__BENCH__`, so a normal build drops this module and pays nothing per token.
 * Times are wall-clock milliseconds (`timeOrigin + now()`), comparable with the core's.
 */
import type { CoreEvent } from '../../shared/protocol';

/** One delta batch as this tab saw it. */
export interface DeltaTiming {
  messageId: string;
  seq: number;
  /** Characters of text in the batch. */
  length: number;
  /** When the core sent the batch (stamped by the core in bench builds). */
  sentAt: number;
  /** When the event reached the store. */
  receivedAt: number;
  /** When the store (and the DOM bound to it) had applied it. */
  appliedAt: number;
}

/** What the bench reads from `window.__parleyBench`. */
export interface BenchProbe {
  deltas: DeltaTiming[];
  /** The first frame committed after a delta was applied (rAF, then the next task). */
  frames: number[];
  /** The core's API, so the bench can set up data without clicking through the UI. */
  api?: unknown;
}

export function benchNow(): number {
  return performance.timeOrigin + performance.now();
}

function probe(): BenchProbe {
  const scope = globalThis as { __parleyBench?: BenchProbe };
  return (scope.__parleyBench ??= { deltas: [], frames: [] });
}

let framePending = false;

/** Record a delta the store has just applied, and the frame that shows it. */
export function recordApplied(event: CoreEvent, receivedAt: number): void {
  if (event.type !== 'message-delta') return;
  const target = probe();
  const sentAt = (event as { sentAt?: number }).sentAt ?? Number.NaN;
  target.deltas.push({
    messageId: event.messageId,
    seq: event.seq,
    length: event.text.length,
    sentAt,
    receivedAt,
    appliedAt: benchNow(),
  });
  if (framePending) return;
  framePending = true;
  requestAnimationFrame(() => {
    // Cleared here, not later: a delta applied after this callback belongs to the next frame.
    framePending = false;
    setTimeout(() => target.frames.push(benchNow()));
  });
}

/** Hand the core's API to the bench. */
export function exposeApi(api: unknown): void {
  probe().api = api;
}
