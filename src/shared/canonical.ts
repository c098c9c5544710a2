/** JSON with sorted keys: two records are the same when this is (property order aside). */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, entry: unknown) =>
    entry && typeof entry === 'object' && !Array.isArray(entry)
      ? Object.fromEntries(Object.entries(entry).sort(([first], [second]) => (first < second ? -1 : first > second ? 1 : 0)))
      : entry,
  );
}
