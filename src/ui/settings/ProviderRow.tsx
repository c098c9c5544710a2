import { createEffect, createSignal, on, Show, type JSX } from 'solid-js';
import type { Provider } from '../../shared/protocol';
import { presetById } from '../../shared/presets';
import { useStore } from '../context';
import { countModels, maskKey } from './format';

interface Props {
  provider: Provider;
  onEdit: () => void;
  /** Hands the list a way to put focus back on Edit when the edit form closes. */
  registerFocus?: (focus: () => void) => void;
}

/** What the row last did, shown under it; errors are announced. */
type Notice = { kind: 'status' | 'error'; text: string };

/** One configured provider: what it is, whether it is on, and what can be done with it. */
export function ProviderRow(props: Props): JSX.Element {
  const { state, client } = useStore();
  const { api } = client;
  const [busy, setBusy] = createSignal<'toggle' | 'test' | 'refresh' | 'delete'>();
  const [notice, setNotice] = createSignal<Notice>();
  const [confirming, setConfirming] = createSignal(false);
  const modelCount = () => state.models[props.provider.id]?.length ?? 0;

  let editButton: HTMLButtonElement | undefined;
  let deleteButton: HTMLButtonElement | undefined;
  props.registerFocus?.(() => editButton?.focus());
  let cancelDeleteButton: HTMLButtonElement | undefined;
  createEffect(
    on(
      confirming,
      (open, wasOpen) => {
        // Focus follows the question so a keyboard user can answer it, then comes back.
        if (open) cancelDeleteButton?.focus();
        else if (wasOpen) deleteButton?.focus();
      },
      { defer: true },
    ),
  );

  /** Run one action at a time; a thrown error (lost connection) shows like any other. */
  const run = async (action: 'toggle' | 'test' | 'refresh' | 'delete', work: () => Promise<Notice | undefined>) => {
    if (busy()) return;
    setBusy(action);
    try {
      setNotice(await work());
    } catch (thrown) {
      setNotice({ kind: 'error', text: thrown instanceof Error ? thrown.message : String(thrown) });
    } finally {
      setBusy(undefined);
    }
  };

  const toggle = (checkbox: HTMLInputElement) =>
    run('toggle', async () => {
      const enabled = checkbox.checked;
      const result = await api.saveProvider({ ...props.provider, enabled });
      if (result.ok) return undefined;
      checkbox.checked = props.provider.enabled;
      return { kind: 'error', text: result.error.message };
    });

  const test = () =>
    run('test', async () => {
      setNotice({ kind: 'status', text: 'Testing…' });
      const result = await api.testConnection({ ...props.provider });
      return result.ok
        ? { kind: 'status', text: `Connected — ${countModels(result.value.modelCount)}` }
        : { kind: 'error', text: result.error.message };
    });

  const refresh = () =>
    run('refresh', async () => {
      setNotice({ kind: 'status', text: 'Refreshing models…' });
      const result = await api.listModels(props.provider.id, { refresh: true });
      return result.ok
        ? { kind: 'status', text: `Models refreshed — ${countModels(result.value.length)}` }
        : { kind: 'error', text: result.error.message };
    });

  const remove = () =>
    run('delete', async () => {
      const result = await api.deleteProvider(props.provider.id);
      // On success the row goes away with the next providers-change event.
      if (result.ok) return undefined;
      setConfirming(false);
      return { kind: 'error', text: result.error.message };
    });

  const checkboxId = () => `settings-provider-enabled-${props.provider.id}`;

  return (
    <div class="settings-provider" classList={{ 'settings-provider-disabled': !props.provider.enabled }}>
      <div class="settings-provider-head">
        <div class="settings-provider-title">
          <strong class="settings-provider-name">{props.provider.name}</strong>
          <span class="settings-muted">{presetById(props.provider.presetId).name}</span>
        </div>
        <div class="settings-toggle">
          <input
            id={checkboxId()}
            type="checkbox"
            checked={props.provider.enabled}
            disabled={busy() === 'toggle'}
            onChange={(event) => void toggle(event.currentTarget)}
          />
          <label for={checkboxId()}>Enabled</label>
        </div>
      </div>
      <dl class="settings-provider-details">
        <div>
          <dt>Base URL</dt>
          <dd class="settings-mono">{props.provider.baseURL}</dd>
        </div>
        <div>
          <dt>Key</dt>
          <dd class="settings-mono">{maskKey(props.provider.apiKey)}</dd>
        </div>
        <div>
          <dt>Models</dt>
          <dd>{modelCount() ? countModels(modelCount()) : 'None yet'}</dd>
        </div>
      </dl>

      <Show
        when={confirming()}
        fallback={
          <div class="settings-actions">
            <button type="button" ref={editButton} class="button small" onClick={() => props.onEdit()}>
              Edit
            </button>
            <button type="button" class="button small" disabled={Boolean(busy())} onClick={test}>
              Test
            </button>
            <button type="button" class="button small" disabled={Boolean(busy())} onClick={refresh}>
              Refresh models
            </button>
            <button
              type="button"
              ref={deleteButton}
              class="button small danger"
              disabled={Boolean(busy())}
              onClick={() => setConfirming(true)}
            >
              Delete
            </button>
          </div>
        }
      >
        <div
          class="settings-confirm"
          role="group"
          aria-label={`Delete ${props.provider.name}`}
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            event.preventDefault();
            event.stopPropagation();
            setConfirming(false);
          }}
        >
          <p>Delete {props.provider.name}? Conversations keep their messages.</p>
          <div class="settings-actions">
            <button type="button" class="button small danger" disabled={busy() === 'delete'} onClick={remove}>
              Confirm
            </button>
            <button type="button" ref={cancelDeleteButton} class="button small" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      </Show>

      <p
        class="settings-notice"
        classList={{ 'settings-error': notice()?.kind === 'error' }}
        role={notice()?.kind === 'error' ? 'alert' : 'status'}
      >
        {notice()?.text}
      </p>
    </div>
  );
}
