/** A random id (UUID v4 where available). */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}
