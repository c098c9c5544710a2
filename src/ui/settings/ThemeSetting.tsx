import { createSignal, For, Show, type JSX } from 'solid-js';
import type { Theme } from '../../shared/protocol';
import { useStore } from '../context';

const THEMES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** System / Light / Dark. Only saved here; the shell applies it from `state.settings.theme`. */
export function ThemeSetting(): JSX.Element {
  const { state, client } = useStore();
  const [error, setError] = createSignal<string>();

  const choose = async (theme: Theme) => {
    setError(undefined);
    try {
      await client.api.updateSettings({ theme });
    } catch (thrown) {
      setError(thrown instanceof Error ? thrown.message : String(thrown));
    }
  };

  return (
    <fieldset class="settings-fieldset">
      <legend>Theme</legend>
      <div class="settings-radios">
        <For each={THEMES}>
          {(option) => (
            <label class="settings-radio">
              <input
                type="radio"
                name="settings-theme"
                value={option.value}
                checked={state.settings.theme === option.value}
                onChange={() => void choose(option.value)}
              />
              {option.label}
            </label>
          )}
        </For>
      </div>
      <Show when={error()}>
        <p class="settings-error" role="alert">
          {error()}
        </p>
      </Show>
    </fieldset>
  );
}
