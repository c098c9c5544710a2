/** Small statistics over samples: every figure in the report is a median of runs. */

/** The p-th percentile (0–100) by linear interpolation; NaN for no samples. */
export function percentile(values: readonly number[], p: number): number {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return Number.NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export function max(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}

/** Round for the report: whole numbers stay whole, others keep `digits` decimals. */
export function round(value: number, digits = 1): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * The median, field by field, of several runs' results (numbers only; other fields are taken
 * from the first run). Nested objects are handled the same way.
 */
export function medianOfRuns<T>(runs: readonly T[]): T {
  const first = runs[0];
  if (typeof first === 'number') return round(median(runs as readonly number[]), 2) as T;
  if (Array.isArray(first) || first === null || typeof first !== 'object') return first;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(first)) {
    result[key] = medianOfRuns(runs.map((run) => (run as Record<string, unknown>)[key]));
  }
  return result as T;
}
