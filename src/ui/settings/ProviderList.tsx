import { createSignal, For, Show, type JSX } from 'solid-js';
import { useStore } from '../context';
import { ProviderForm } from './ProviderForm';
import { ProviderRow } from './ProviderRow';

/** `'new'` while adding, a provider id while editing that provider. */
type Editing = 'new' | string | undefined;

/** The configured providers, the add button and the form (inline, in place of what it edits). */
export function ProviderList(): JSX.Element {
  const { state } = useStore();
  const [editing, setEditing] = createSignal<Editing>();
  let addButton: HTMLButtonElement | undefined;
  const editButtons = new Map<string, () => void>();

  const close = () => {
    const was = editing();
    setEditing(undefined);
    // Focus goes back to what opened the form.
    if (was === 'new') addButton?.focus();
    else if (was) editButtons.get(was)?.();
  };

  return (
    <div class="settings-providers">
      <Show when={state.ready && state.providers.length === 0 && editing() !== 'new'}>
        <p class="settings-empty">
          Parley talks to any OpenAI-compatible provider — OpenAI, OpenRouter, or a model running on your own computer with Ollama
          — using your own API key. Keys stay in this browser. Add a provider to start chatting.
        </p>
      </Show>

      <ul class="settings-provider-list">
        <For each={state.providers}>
          {(provider) => (
            <li data-testid="provider-item" data-id={provider.id}>
              <Show
                when={editing() === provider.id}
                fallback={
                  <ProviderRow
                    provider={provider}
                    onEdit={() => setEditing(provider.id)}
                    registerFocus={(focus) => editButtons.set(provider.id, focus)}
                  />
                }
              >
                <ProviderForm provider={provider} onSaved={close} onCancel={close} />
              </Show>
            </li>
          )}
        </For>
      </ul>

      <Show when={editing() === 'new'}>
        <ProviderForm onSaved={close} onCancel={close} />
      </Show>

      <div class="settings-actions">
        <button
          type="button"
          ref={addButton}
          class="button"
          classList={{ primary: state.providers.length === 0 }}
          data-testid="add-provider"
          aria-expanded={editing() === 'new'}
          onClick={() => setEditing('new')}
        >
          Add provider
        </button>
      </div>
    </div>
  );
}
