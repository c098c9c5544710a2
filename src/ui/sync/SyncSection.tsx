import { createSignal, Match, Show, Switch, type JSX } from 'solid-js';
import { useStore } from '../context';
import { SyncProgress, syncWords } from './SyncBadge';

const TIME = new Intl.DateTimeFormat([], { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Settings → Sync: a CouchDB database the person owns, its login, and a passphrase that encrypts
 * everything before it leaves the device. Turning it off keeps everything here.
 */
export function SyncSection(): JSX.Element {
  const { state, client } = useStore();
  const [url, setUrl] = createSignal('');
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [passphrase, setPassphrase] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<string>();
  const [confirmingOff, setConfirmingOff] = createSignal(false);
  const on = () => state.sync.state !== 'off';
  const shownError = () =>
    failure() ?? (state.sync.state === 'error' || state.sync.state === 'offline' ? state.sync.error?.message : undefined);

  const enable = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const result = await client.api.enableSync({
        url: url().trim(),
        username: username().trim(),
        password: password(),
        passphrase: passphrase(),
      });
      if (result.ok) {
        setPassword('');
        setPassphrase('');
      } else setFailure(result.error.message);
    } finally {
      setBusy(false);
    }
  };

  const act = async (action: () => Promise<{ ok: boolean; error?: { message: string } }>) => {
    setFailure(undefined);
    const result = await action();
    if (!result.ok) setFailure(result.error?.message);
  };

  return (
    <div class="sync-section">
      <Show
        when={on()}
        fallback={
          <form
            class="settings-form"
            onSubmit={(event) => {
              event.preventDefault();
              void enable();
            }}
          >
            <p class="settings-muted">
              Keep your conversations on every device through a CouchDB database you own (Apache CouchDB 3, or a hosted one such
              as IBM Cloudant). Everything is encrypted here with your passphrase before it leaves: the server sees neither your
              messages nor your API keys, which never sync. Use the same passphrase on every device — without it, the data on the
              server cannot be read by anyone.
            </p>
            <div class="settings-field">
              <label for="sync-url">Database address</label>
              <input
                id="sync-url"
                data-testid="sync-url"
                class="settings-mono"
                type="url"
                inputmode="url"
                autocomplete="off"
                spellcheck={false}
                placeholder="https://couch.example.com/parley"
                required
                value={url()}
                onInput={(event) => setUrl(event.currentTarget.value)}
              />
            </div>
            <div class="settings-field">
              <label for="sync-username">User name</label>
              <input
                id="sync-username"
                data-testid="sync-username"
                autocomplete="username"
                value={username()}
                onInput={(event) => setUsername(event.currentTarget.value)}
              />
            </div>
            <div class="settings-field">
              <label for="sync-password">Password</label>
              <input
                id="sync-password"
                data-testid="sync-password"
                type="password"
                autocomplete="current-password"
                value={password()}
                onInput={(event) => setPassword(event.currentTarget.value)}
              />
            </div>
            <div class="settings-field">
              <label for="sync-passphrase">Encryption passphrase</label>
              <input
                id="sync-passphrase"
                data-testid="sync-passphrase"
                type="password"
                autocomplete="new-password"
                required
                minLength={8}
                value={passphrase()}
                onInput={(event) => setPassphrase(event.currentTarget.value)}
              />
            </div>
            <div class="settings-actions">
              <button type="submit" class="button primary" data-testid="sync-enable" disabled={busy()}>
                {busy() ? 'Checking the server…' : 'Turn on sync'}
              </button>
            </div>
          </form>
        }
      >
        <p class="sync-summary" role="status">
          <span class={`sync-dot sync-${state.sync.state}`} aria-hidden="true" />
          {syncWords(state.sync)} with <span class="settings-mono sync-url">{state.sync.url}</span>
        </p>
        <Show when={state.sync.lastSyncedAt}>{(at) => <p class="settings-muted">Last up to date {TIME.format(at())}</p>}</Show>
        <SyncProgress status={state.sync} />
        <div class="settings-actions">
          <button class="button" data-testid="sync-now" onClick={() => void act(() => client.api.syncNow())}>
            Sync now
          </button>
          <Switch>
            <Match when={!confirmingOff()}>
              <button class="button ghost" onClick={() => setConfirmingOff(true)}>
                Turn off sync…
              </button>
            </Match>
            <Match when={confirmingOff()}>
              <span class="sync-confirm" role="alertdialog" aria-label="Turn off sync">
                Everything stays on this device, and the server keeps what it has.
                <button
                  class="button danger"
                  data-testid="sync-disable"
                  ref={(element) => queueMicrotask(() => element.focus())}
                  onClick={() => {
                    setConfirmingOff(false);
                    void act(() => client.api.disableSync());
                  }}
                >
                  Turn off
                </button>
                <button class="button" onClick={() => setConfirmingOff(false)}>
                  Cancel
                </button>
              </span>
            </Match>
          </Switch>
        </div>
      </Show>
      <Show when={shownError()}>
        <p class="settings-error" data-testid="sync-error" role="alert">
          {shownError()}
        </p>
      </Show>
    </div>
  );
}
