import { createSignal, type Accessor } from 'solid-js';

/** The three places in Parley (docs/ui-contract.md, "Routes"). */
export type Route = { name: 'home' } | { name: 'conversation'; conversationId: string } | { name: 'settings' };

/** Read a path as a route; unknown paths are home. */
export function parseRoute(pathname: string): Route {
  const conversation = /^\/c\/([^/]+)\/?$/.exec(pathname);
  if (conversation) return { name: 'conversation', conversationId: decodeURIComponent(conversation[1]) };
  if (/^\/settings\/?$/.test(pathname)) return { name: 'settings' };
  return { name: 'home' };
}

const [path, setPath] = createSignal(typeof location === 'undefined' ? '/' : location.pathname);

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => setPath(location.pathname));
}

/** The current route. */
export const route: Accessor<Route> = () => parseRoute(path());

/** Go to a path within the app (history entry unless `replace`). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === path()) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  setPath(to);
}

/** The path of a conversation. */
export function conversationPath(conversationId: string): string {
  return `/c/${encodeURIComponent(conversationId)}`;
}
