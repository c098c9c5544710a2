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
