/** A key as the list shows it: `sk-…abcd` (first 3 and last 4), never in clear. */
export function maskKey(apiKey: string | undefined): string {
  const key = apiKey?.trim() ?? '';
  if (!key) return 'No key';
  // Short keys would be mostly revealed by 3 + 4 characters.
  if (key.length < 12) return '••••••••';
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

/** "N models", "1 model". */
export function countModels(count: number): string {
  return `${count} ${count === 1 ? 'model' : 'models'}`;
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** Bytes for a person: "512 bytes", "3.4 MB", "120 GB" (powers of 1024). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${value} ${value === 1 ? 'byte' : 'bytes'}`;
  const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${rounded} ${UNITS[unit]}`;
}
