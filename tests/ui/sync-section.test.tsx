import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import type { SyncStatus } from '../../src/shared/protocol';
import { fail } from '../../src/shared/result';
import { StoreProvider } from '../../src/ui/context';
import { SyncBadge } from '../../src/ui/sync/SyncBadge';
import { SyncSection } from '../../src/ui/sync/SyncSection';
import { makeAppStore, type AppStore } from '../../src/ui/state/app-store';
import { makeFakeCore } from './fake-core';

let store: AppStore | undefined;

function renderSync(sync?: SyncStatus) {
  const fake = makeFakeCore({ sync });
  store = makeAppStore(fake.client);
  const current = store;
  render(() => (
    <StoreProvider store={current}>
      <SyncBadge onOpen={() => undefined} />
      <SyncSection />
    </StoreProvider>
  ));
  return fake;
}

function fill(testId: string, value: string) {
  fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

afterEach(() => {
  cleanup();
  store?.dispose();
  store = undefined;
});

describe('Settings → Sync', () => {
  it('turns sync on with the address, login and passphrase, and forgets the secrets from the form', async () => {
    const fake = renderSync();
    expect(screen.getByTestId('sync-status').dataset.state).toBe('off');
    fill('sync-url', ' https://couch.example.com/parley ');
    fill('sync-username', 'ana');
    fill('sync-password', 'hunter2');
    fill('sync-passphrase', 'correct horse battery');
    fireEvent.submit(screen.getByTestId('sync-enable').closest('form')!);
    await waitFor(() =>
      expect(fake.api.enableSync).toHaveBeenCalledWith({
        url: 'https://couch.example.com/parley',
        username: 'ana',
        password: 'hunter2',
        passphrase: 'correct horse battery',
      }),
    );
    // The core says where sync stands; the badge and the section follow it.
    fake.emit({ type: 'sync-status', status: { state: 'idle', url: 'https://couch.example.com/parley', lastSyncedAt: 1 } });
    await waitFor(() => expect(screen.getByTestId('sync-status').dataset.state).toBe('idle'));
    expect(screen.getByTestId('sync-status').textContent).toContain('Up to date');
    expect(screen.getByRole('status').textContent).toContain('https://couch.example.com/parley');
    expect(screen.queryByTestId('sync-passphrase')).toBeNull();
  });

  it('shows why the server refused, and keeps what was typed', async () => {
    const fake = renderSync();
    fake.api.enableSync.mockResolvedValueOnce(
      fail('auth', 'The server refused the user name or password. Check them and try again.'),
    );
    fill('sync-url', 'https://couch.example.com/parley');
    fill('sync-passphrase', 'correct horse battery');
    fireEvent.submit(screen.getByTestId('sync-enable').closest('form')!);
    await waitFor(() => expect(screen.getByTestId('sync-error').textContent).toContain('refused the user name or password'));
    expect((screen.getByTestId('sync-url') as HTMLInputElement).value).toBe('https://couch.example.com/parley');
    expect((screen.getByTestId('sync-passphrase') as HTMLInputElement).value).toBe('correct horse battery');
  });

  it('says when the server is gone, syncs now on request, and turns off only after a confirmation', async () => {
    const fake = renderSync({
      state: 'offline',
      url: 'https://couch.example.com/parley',
      error: { kind: 'network', retryable: true, message: 'The sync server cannot be reached.' },
    });
    await waitFor(() => expect(screen.getByTestId('sync-status').dataset.state).toBe('offline'));
    expect(screen.getByTestId('sync-error').textContent).toContain('cannot be reached');
    fireEvent.click(screen.getByTestId('sync-now'));
    await waitFor(() => expect(fake.api.syncNow).toHaveBeenCalled());

    expect(screen.queryByTestId('sync-disable')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Turn off sync…' }));
    fireEvent.click(screen.getByTestId('sync-disable'));
    await waitFor(() => expect(fake.api.disableSync).toHaveBeenCalled());
  });

  it('shows the progress of a first sync', async () => {
    renderSync({ state: 'syncing', url: 'https://couch.example.com/parley', progress: { done: 250, total: 1000 } });
    await waitFor(() => expect(screen.getAllByLabelText('Sync progress')[0].getAttribute('value')).toBe('250'));
  });
});
