import { createSignal, createUniqueId, For, onCleanup, onMount, Show, type JSX } from 'solid-js';
import type { LocalServer, PresetId, Provider, ProviderInput } from '../../shared/protocol';
import { PRESETS, presetById, type ProviderPreset } from '../../shared/presets';
import { useStore } from '../context';
import { LocalServerDetect } from './LocalServerDetect';

interface Props {
  /** The provider to edit; absent to add a new one. */
  provider?: Provider;
  /** Called after the core saved the provider. */
  onSaved: (provider: Provider) => void;
  onCancel: () => void;
}

type Busy = 'idle' | 'testing' | 'saving';

/** Whether the form shows a key field for this preset (optional only for `custom`). */
function showsKey(preset: ProviderPreset): boolean {
  return preset.needsKey || preset.id === 'custom';
}

/**
 * Add or edit a provider. Saving first tests the connection; when that fails the error shows
 * and "Save anyway" saves untested (a provider set up while offline, or a server not yet running).
 */
export function ProviderForm(props: Props): JSX.Element {
  const { api } = useStore().client;
  const id = createUniqueId();
  const existing = props.provider;
  const [presetId, setPresetId] = createSignal<PresetId>(existing?.presetId ?? 'openai');
  const [name, setName] = createSignal(existing?.name ?? presetById('openai').name);
  const [baseURL, setBaseURL] = createSignal(existing?.baseURL ?? presetById('openai').baseURL);
  const [apiKey, setApiKey] = createSignal(existing?.apiKey ?? '');
  const [keyVisible, setKeyVisible] = createSignal(false);
  const [busy, setBusy] = createSignal<Busy>('idle');
  const [error, setError] = createSignal<string>();
  const [invalidField, setInvalidField] = createSignal<'name' | 'base-url' | 'api-key'>();
  const [offerSaveAnyway, setOfferSaveAnyway] = createSignal(false);
  const preset = () => presetById(presetId());

  let disposed = false;
  onCleanup(() => (disposed = true));

  let presetField: HTMLSelectElement | undefined;
  let nameField: HTMLInputElement | undefined;
  let baseURLField: HTMLInputElement | undefined;
  let keyField: HTMLInputElement | undefined;
  onMount(() => (existing ? nameField : presetField)?.focus());

  const changePreset = (next: PresetId) => {
    const previous = preset();
    const chosen = presetById(next);
    // A field still holding the previous preset's value (or nothing) was not edited by the user.
    if (!name().trim() || name() === previous.name) setName(chosen.name);
    if (!baseURL().trim() || baseURL() === previous.baseURL) setBaseURL(chosen.baseURL);
    setPresetId(next);
  };

  /** A detected local server fills the form; Save still tests it. */
  const chooseLocal = (server: LocalServer) => {
    const chosen = presetById(server.presetId);
    if (!name().trim() || name() === preset().name) setName(chosen.name);
    setBaseURL(server.baseURL);
    setPresetId(server.presetId);
    setError(server.problem?.message);
    nameField?.focus();
  };

  const input = (): ProviderInput => {
    const result: ProviderInput = { presetId: presetId(), name: name().trim(), baseURL: baseURL().trim() };
    if (existing) result.id = existing.id;
    const key = apiKey().trim();
    if (showsKey(preset()) && key) result.apiKey = key;
    result.enabled = existing?.enabled ?? true;
    return result;
  };

  /** The problem to fix before the core is asked anything, with the field to focus. */
  const validate = (value: ProviderInput): { message: string; field: 'name' | 'base-url' | 'api-key' } | undefined => {
    if (!value.name) return { message: 'Give the provider a name.', field: 'name' };
    if (!value.baseURL) return { message: 'Enter the base URL, for example https://api.openai.com/v1.', field: 'base-url' };
    if (!/^https?:\/\/[^\s/]+/i.test(value.baseURL)) {
      return { message: 'The base URL must start with http:// or https://.', field: 'base-url' };
    }
    if (preset().needsKey && !value.apiKey) return { message: `${preset().name} needs an API key.`, field: 'api-key' };
    return undefined;
  };

  const fail = (message: string) => {
    setError(message);
    setBusy('idle');
  };

  const save = async (withTest: boolean) => {
    if (busy() !== 'idle') return;
    const value = input();
    const problem = validate(value);
    setInvalidField(problem?.field);
    if (problem) {
      setError(problem.message);
      ({ name: nameField, 'base-url': baseURLField, 'api-key': keyField })[problem.field]?.focus();
      return;
    }
    setError(undefined);
    try {
      if (withTest) {
        setBusy('testing');
        const tested = await api.testConnection(value);
        if (disposed) return;
        if (!tested.ok) {
          setOfferSaveAnyway(true);
          return fail(tested.error.message);
        }
      }
      setBusy('saving');
      const saved = await api.saveProvider(value);
      if (disposed) return;
      if (!saved.ok) return fail(saved.error.message);
      setBusy('idle');
      props.onSaved(saved.value);
    } catch (thrown) {
      // The core answers expected failures as data; this is a lost connection or a bug.
      if (!disposed) fail(thrown instanceof Error ? thrown.message : String(thrown));
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    props.onCancel();
  };

  const saveLabel = () => (busy() === 'testing' ? 'Testing…' : busy() === 'saving' ? 'Saving…' : 'Save');

  return (
    <form
      class="settings-provider-form"
      aria-label={existing ? `Edit ${existing.name}` : 'Add a provider'}
      onSubmit={(event) => {
        event.preventDefault();
        void save(true);
      }}
      onKeyDown={onKeyDown}
      noValidate
    >
      <div class="settings-field">
        <label for={`${id}-preset`}>Provider</label>
        <select
          id={`${id}-preset`}
          ref={presetField}
          data-testid="provider-preset"
          onChange={(event) => changePreset(event.currentTarget.value as PresetId)}
        >
          <For each={PRESETS}>
            {(option) => (
              <option value={option.id} selected={option.id === presetId()}>
                {option.name}
              </option>
            )}
          </For>
        </select>
      </div>

      <Show when={!existing}>
        <LocalServerDetect onChoose={chooseLocal} />
      </Show>

      <div class="settings-field">
        <label for={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          ref={nameField}
          data-testid="provider-name"
          type="text"
          autocomplete="off"
          value={name()}
          aria-invalid={invalidField() === 'name' || undefined}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </div>

      <div class="settings-field">
        <label for={`${id}-base-url`}>Base URL</label>
        <input
          id={`${id}-base-url`}
          ref={baseURLField}
          data-testid="provider-base-url"
          class="settings-mono"
          type="url"
          inputmode="url"
          autocomplete="off"
          spellcheck={false}
          placeholder="https://example.com/v1"
          value={baseURL()}
          aria-invalid={invalidField() === 'base-url' || undefined}
          onInput={(event) => setBaseURL(event.currentTarget.value)}
        />
      </div>

      <Show when={showsKey(preset())}>
        <div class="settings-field">
          <label for={`${id}-api-key`}>{preset().needsKey ? 'API key' : 'API key (optional)'}</label>
          <div class="settings-key-row">
            <input
              id={`${id}-api-key`}
              ref={keyField}
              data-testid="provider-api-key"
              class="settings-mono"
              type={keyVisible() ? 'text' : 'password'}
              autocomplete="off"
              spellcheck={false}
              value={apiKey()}
              aria-invalid={invalidField() === 'api-key' || undefined}
              onInput={(event) => setApiKey(event.currentTarget.value)}
            />
            <button
              type="button"
              class="button small"
              aria-pressed={keyVisible()}
              aria-controls={`${id}-api-key`}
              onClick={() => setKeyVisible(!keyVisible())}
            >
              {keyVisible() ? 'Hide' : 'Show'}
            </button>
          </div>
          <Show when={preset().keyURL}>
            {(keyURL) => (
              <a class="settings-hint" href={keyURL()} target="_blank" rel="noopener noreferrer">
                Get a key
              </a>
            )}
          </Show>
        </div>
      </Show>

      <Show when={error()}>
        <p class="settings-error" data-testid="provider-error" role="alert">
          {error()}
        </p>
      </Show>

      <div class="settings-actions">
        <button type="submit" class="button primary" data-testid="provider-save" disabled={busy() !== 'idle'}>
          {saveLabel()}
        </button>
        <Show when={offerSaveAnyway()}>
          <button type="button" class="button" disabled={busy() !== 'idle'} onClick={() => void save(false)}>
            Save anyway
          </button>
        </Show>
        <button type="button" class="button" onClick={() => props.onCancel()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
