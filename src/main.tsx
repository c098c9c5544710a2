import { render } from 'solid-js/web';
import { connectToCore } from './client/connect';
import { StoreProvider } from './ui/context';
import { App } from './ui/shell/App';
import { startPwa } from './ui/shell/pwa';
import { makeAppStore } from './ui/state/app-store';
import { exposeApi } from './ui/state/bench-probe';
import './ui/styles/global.css';

const root = document.getElementById('root')!;

// The service worker first: even if the core fails to start, the next load can be offline.
startPwa();

connectToCore()
  .then((client) => {
    const store = makeAppStore(client);
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
