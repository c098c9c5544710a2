/**
 * Appends every item to `target`. `target.push(...items)` passes each item as an argument and
 * throws past about 125,000 of them (the call stack): an import or an index of a long history
 * reaches that.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
