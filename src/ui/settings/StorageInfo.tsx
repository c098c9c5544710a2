import { createSignal, Match, onMount, Show, Switch, type JSX } from 'solid-js';
import type { StorageReport } from '../../shared/protocol';
import { useStore } from '../context';
import { formatBytes } from '../../shared/bytes';

/** How much of the browser's storage Parley uses, and whether the browser may evict it. */
export function StorageInfo(): JSX.Element {
  const { client } = useStore();
  const [report, setReport] = createSignal<StorageReport>();
  const [failed, setFailed] = createSignal(false);

  onMount(() => {
    client.api.storageReport().then(setReport, () => setFailed(true));
  });

  return (
    <div class="settings-storage">
      <Switch fallback={<p class="settings-muted">Checking storage…</p>}>
        <Match when={failed()}>
          <p class="settings-muted">This browser does not report how much storage Parley uses.</p>
        </Match>
        <Match when={report()}>
          {(current) => (
            <>
              <p>
                {current().quota > 0
                  ? `Using ${formatBytes(current().usage)} of ${formatBytes(current().quota)}`
                  : `Using ${formatBytes(current().usage)}`}
              </p>
              <Show when={!current().persisted}>
                <p class="settings-muted">Your browser may clear Parley's data when space runs low.</p>
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </div>
  );
}
