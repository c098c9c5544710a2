import { createSignal, type Accessor } from 'solid-js';

/**
 * The places in Parley (docs/ui-contract.md, "Routes"). Three routes need no router library:
 * this is the whole of it, and nothing here costs first-load bytes.
 */
export type Route =
  | { name: 'home' }
  /** `messageId`: a link to one message, shown on its branch (`/c/<id>/m/<messageId>`). */
  | { name: 'conversation'; conversationId: string; messageId?: string }
  | { name: 'settings' };

/** Read a path as a route; unknown paths are home. */
export function parseRoute(pathname: string): Route {
  const conversation = /^\/c\/([^/]+)(?:\/m\/([^/]+))?\/?$/.exec(pathname);
  if (conversation) {
    const conversationId = decodeURIComponent(conversation[1]);
    return conversation[2]
      ? { name: 'conversation', conversationId, messageId: decodeURIComponent(conversation[2]) }
      : { name: 'conversation', conversationId };
  }
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

/** The path of one message, which opens its branch. */
export function messagePath(conversationId: string, messageId: string): string {
  return `${conversationPath(conversationId)}/m/${encodeURIComponent(messageId)}`;
}
