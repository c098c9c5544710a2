import { render } from 'solid-js/web';
import type { CoreClient } from './client/core-client';
import { StoreProvider } from './ui/context';
import { App } from './ui/shell/App';
import { startPwa } from './ui/shell/pwa';
import { makeAppStore } from './ui/state/app-store';
import { exposeApi } from './ui/state/bench-probe';
import type { StartData } from './ui/state/start-data';
import './ui/styles/global.css';

/** The UI, started by src/boot.ts with the connection it began (and the first screen's data). */
export function startUi(connecting: Promise<{ client: CoreClient; start: StartData }>): void {
  const root = document.getElementById('root')!;

  // The service worker first: even if the core fails to start, the next load can be offline.
  startPwa();

  connecting
    .then(({ client, start }) => {
      const store = makeAppStore(client, start);
      // Benchmark builds only: the bench drives the core directly to set up its data.
      if (__BENCH__) exposeApi(client.api);
      window.addEventListener('pagehide', () => void client.close());
      render(
        () => (
          <StoreProvider store={store}>
            <App />
          </StoreProvider>
        ),
        root,
      );
    })
    .catch((error: unknown) => {
      root.textContent = '';
      const message = document.createElement('p');
      message.className = 'fatal';
      message.textContent = `Parley could not start: ${error instanceof Error ? error.message : String(error)}. Reload the page; if it keeps failing, your browser may block storage for this site.`;
      root.append(message);
    });
}
