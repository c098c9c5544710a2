/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell, the core's worker chunk and the lazy chunks, and
 * answers every navigation with the shell so `/c/<id>` and `/settings` open offline. Requests
 * to providers are never matched here, so they are never cached or intercepted.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

// A new build waits until the user chooses to reload (the "update available" banner).
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});
