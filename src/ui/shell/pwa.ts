import { createSignal } from 'solid-js';
import { registerSW } from 'virtual:pwa-register';

/** Chromium's install prompt event (not in TypeScript's DOM lib). */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

const [updateReady, setUpdateReady] = createSignal(false);
const [installPrompt, setInstallPrompt] = createSignal<BeforeInstallPromptEvent>();
let updateServiceWorker: ((reloadPage?: boolean) => Promise<void>) | undefined;

/** How often an open tab asks the server whether a new build is out. */
const UPDATE_CHECK_MS = 30 * 60 * 1000;

/** Register the service worker and listen for updates and the install prompt. Once per tab. */
export function startPwa(): void {
  if ('serviceWorker' in navigator) {
    updateServiceWorker = registerSW({
      immediate: true,
      onNeedRefresh: () => setUpdateReady(true),
      onRegisteredSW: (_url, registration) => {
        if (registration) setInterval(() => void registration.update().catch(() => undefined), UPDATE_CHECK_MS);
      },
    });
  }
  window.addEventListener('beforeinstallprompt', (event) => {
    // Keep the prompt for our own Install button instead of the browser's mini-bar.
    event.preventDefault();
    setInstallPrompt(event as BeforeInstallPromptEvent);
  });
  window.addEventListener('appinstalled', () => setInstallPrompt(undefined));
}

/** A new build is installed and waiting for a reload. */
export const updateAvailable = updateReady;

/** Activate the waiting build and reload every tab of this one. */
export function applyUpdate(): void {
  if (updateServiceWorker) void updateServiceWorker(true);
  else location.reload();
}

/** The browser offers installation. */
export const canInstall = (): boolean => installPrompt() !== undefined;

export async function install(): Promise<void> {
  const prompt = installPrompt();
  if (!prompt) return;
  await prompt.prompt();
  setInstallPrompt(undefined);
}

let persistenceAsked = false;

/**
 * Ask the browser not to evict Parley's data. Asked once there is something worth keeping
 * (a conversation), not at first visit.
 */
export function requestPersistentStorage(): void {
  if (persistenceAsked || !navigator.storage?.persist) return;
  persistenceAsked = true;
  void navigator.storage
    .persisted()
    .then((persisted) => (persisted ? true : navigator.storage.persist()))
    .catch(() => undefined);
}
