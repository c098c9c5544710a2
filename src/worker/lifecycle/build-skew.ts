/**
 * Two builds of Parley can run side by side after a deploy: an old tab keeps the old worker,
 * a new tab starts the new one (the worker's name carries the build id), both over one
 * database. Each core announces its build when it starts; a core that hears a newer build
 * tells its tabs to reload, so the old build stops writing soon.
 *
 * Build ids are UTC timestamps (YYYYMMDDHHMMSS) unless set by hand; between two timestamps the
 * larger is newer, otherwise the one that started last is taken as newer.
 */
const CHANNEL = 'parley-core';

interface Announcement {
  type: 'core-started';
  buildId: string;
}

function isTimestamp(buildId: string): boolean {
  return /^\d{14}$/.test(buildId);
}

/** Whether `other` supersedes `mine`. */
export function isNewerBuild(other: string, mine: string): boolean {
  if (other === mine) return false;
  if (isTimestamp(other) && isTimestamp(mine)) return other > mine;
  return true;
}

/** Announce this core and call `onSuperseded` when a newer build's core appears. */
export function watchBuildSkew(buildId: string, onSuperseded: (newerBuildId: string) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<Announcement>) => {
    const other = event.data?.buildId;
    if (event.data?.type !== 'core-started' || typeof other !== 'string' || other === buildId) return;
    if (isNewerBuild(other, buildId)) onSuperseded(other);
    // An older core starting after us must learn about us too.
    else channel.postMessage({ type: 'core-started', buildId } satisfies Announcement);
  };
  channel.postMessage({ type: 'core-started', buildId } satisfies Announcement);
  return () => channel.close();
}
