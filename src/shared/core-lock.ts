/**
 * The Web Lock the core (the SharedWorker) holds for its whole life. A tab asks for the same
 * lock and is granted it only once that core is gone — a crash of the renderer process it
 * shared with some tab, or a kill — the mirror image of each tab's own liveness lock.
 */
export function coreLockName(buildId: string): string {
  return `parley-core-${buildId}`;
}
