import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import type { Model } from '../../shared/protocol';
import { formatPricing } from '../../shared/pricing';
import { useStore } from '../context';

/** `providerId/modelId`; model ids may hold slashes ("openai/gpt-4o"), provider ids do not. */
function keyOf(providerId: string, modelId: string): string {
  return `${providerId}/${modelId}`;
}

function splitKey(key: string): { providerId: string; modelId: string } {
  const slash = key.indexOf('/');
  return { providerId: key.slice(0, slash), modelId: key.slice(slash + 1) };
}

/** The model new chats start with, chosen among the stored models of enabled providers. */
export function DefaultModel(): JSX.Element {
  const { state, client } = useStore();
  const [error, setError] = createSignal<string>();
  const id = 'settings-default-model';

  const groups = createMemo(() =>
    state.providers
      .filter((provider) => provider.enabled)
      .map((provider) => ({ provider, models: state.models[provider.id] ?? [] }))
      .filter((group) => group.models.length > 0),
  );
  const selectedKey = () => {
    const { activeProviderId, activeModelId } = state.settings;
    return activeProviderId && activeModelId ? keyOf(activeProviderId, activeModelId) : '';
  };
  const selectedModel = createMemo((): Model | undefined => {
    const { activeProviderId, activeModelId } = state.settings;
    if (!activeProviderId || !activeModelId) return undefined;
    return groups()
      .find((group) => group.provider.id === activeProviderId)
      ?.models.find((model) => model.id === activeModelId);
  });

  const choose = async (key: string) => {
    if (!key) return;
    setError(undefined);
    try {
      const { providerId, modelId } = splitKey(key);
      await client.api.updateSettings({ activeProviderId: providerId, activeModelId: modelId });
    } catch (thrown) {
      setError(thrown instanceof Error ? thrown.message : String(thrown));
    }
  };

  const details = () => {
    const model = selectedModel();
    if (!model) return undefined;
    const parts = [
      model.contextLength ? `${model.contextLength.toLocaleString('en-US')} tokens of context` : undefined,
      formatPricing(model.pricing),
    ].filter(Boolean);
    return parts.length ? parts.join(' · ') : undefined;
  };

  return (
    <div class="settings-field">
      <label for={id}>Default model for new chats</label>
      <Show
        when={groups().length > 0}
        fallback={
          <p class="settings-muted" id={`${id}-hint`}>
            {state.providers.some((provider) => provider.enabled)
              ? 'No models yet — press “Refresh models” on a provider above.'
              : 'Add a provider above to choose a model.'}
          </p>
        }
      >
        <select id={id} onChange={(event) => void choose(event.currentTarget.value)}>
          <Show when={!selectedModel()}>
            <option value="" selected>
              Choose a model
            </option>
          </Show>
          <For each={groups()}>
            {(group) => (
              <optgroup label={group.provider.name}>
                <For each={group.models}>
                  {(model) => (
                    <option
                      value={keyOf(group.provider.id, model.id)}
                      selected={selectedKey() === keyOf(group.provider.id, model.id)}
                    >
                      {model.name || model.id}
                    </option>
                  )}
                </For>
              </optgroup>
            )}
          </For>
        </select>
        <Show when={details()}>
          <p class="settings-muted">{details()}</p>
        </Show>
      </Show>
      <Show when={error()}>
        <p class="settings-error" role="alert">
          {error()}
        </p>
      </Show>
    </div>
  );
}
