import { createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import type { LocalServer } from '../../shared/protocol';
import { PRESETS } from '../../shared/presets';
import { useStore } from '../context';
import { countModels } from './format';

interface Props {
  /** The person picked a server: the form takes its preset and address. */
  onChoose: (server: LocalServer) => void;
}

/** The first few model ids, for a line that fits: "llama3.2, qwen3, mistral and 4 more". */
function modelSummary(models: string[]): string {
  const shown = models.slice(0, 3).join(', ');
  return models.length > 3 ? `${shown} and ${models.length - 3} more` : shown;
}

/** "Ollama (11434), LM Studio (1234), llama.cpp server (8080)": where detection looks. */
const PORTS = PRESETS.filter((preset) => preset.local)
  .map((preset) => `${preset.name} (${preset.local!.port})`)
  .join(', ');

/**
 * "Detect local servers": the core probes the local presets' default ports (the UI never calls
 * fetch) and the servers that answer are offered with their models; one running but refusing
 * this page is offered with the setting that lets it in.
 */
export function LocalServerDetect(props: Props): JSX.Element {
  const { api } = useStore().client;
  const [busy, setBusy] = createSignal(false);
  const [found, setFound] = createSignal<LocalServer[]>();
  const [error, setError] = createSignal<string>();
  let disposed = false;
  onCleanup(() => (disposed = true));

  const detect = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const servers = await api.detectLocalServers();
      if (!disposed) setFound(servers);
    } catch (thrown) {
      // The core answers as data; a throw is a lost connection or a bug.
      if (!disposed) setError(thrown instanceof Error ? thrown.message : String(thrown));
    } finally {
      if (!disposed) setBusy(false);
    }
  };

  return (
    <div class="settings-local" data-testid="local-detect">
      <button type="button" class="button small" data-testid="detect-local" disabled={busy()} onClick={() => void detect()}>
        {busy() ? 'Looking…' : 'Detect local servers'}
      </button>
      <Show when={error()}>
        <p class="settings-error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={found()}>
        {(servers) => (
          <div role="status" aria-live="polite">
            <Show
              when={servers().length > 0}
              fallback={
                <p class="settings-muted" data-testid="local-none">
                  No local server answered at the usual ports: {PORTS}. Start one, then try again.
                </p>
              }
            >
              <ul class="settings-local-list" aria-label="Local servers found">
                <For each={servers()}>
                  {(server) => (
                    <li class="settings-local-server" data-testid="local-server" data-preset={server.presetId}>
                      <div class="settings-local-head">
                        <strong>{server.name}</strong>
                        <span class="settings-mono settings-muted">{server.baseURL}</span>
                      </div>
                      <Show
                        when={server.problem}
                        fallback={
                          <p class="settings-muted">
                            {countModels(server.models.length)}
                            {server.models.length > 0 ? `: ${modelSummary(server.models)}` : ''}
                          </p>
                        }
                      >
                        {(problem) => <p class="settings-error">{problem().message}</p>}
                      </Show>
                      <button
                        type="button"
                        class="button small"
                        classList={{ primary: !server.problem }}
                        data-testid="use-local-server"
                        aria-label={`Use ${server.name} at ${server.baseURL}`}
                        onClick={() => props.onChoose(server)}
                      >
                        Use
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
        )}
      </Show>
    </div>
  );
}
