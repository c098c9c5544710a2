import { Show, type JSX } from 'solid-js';
import type { SyncStatus } from '../../shared/protocol';
import { useStore } from '../context';
import { navigate } from '../router';
import './sync.css';

/** Sync's state in words a person reads at a glance. */
export function syncWords(status: SyncStatus): string {
  switch (status.state) {
    case 'off':
      return 'Sync off';
    case 'syncing':
      return 'Syncing…';
    case 'idle':
      return 'Up to date';
    case 'offline':
      return 'Sync offline';
    case 'error':
      return 'Sync needs attention';
  }
}

/** A bar while a first sync of a large history runs (documents done of those known). */
export function SyncProgress(props: { status: SyncStatus }): JSX.Element {
  return (
    <Show when={props.status.state === 'syncing' && props.status.progress}>
      {(progress) => (
        <progress class="sync-progress" max={progress().total} value={progress().done} aria-label="Sync progress">
          {progress().done} of {progress().total}
        </progress>
      )}
    </Show>
  );
}

/** The sidebar's sync badge: where sync stands, and the way to its settings. */
export function SyncBadge(props: { onOpen: () => void }): JSX.Element {
  const { state } = useStore();
  return (
    <a
      class={`sync-badge sync-${state.sync.state}`}
      data-testid="sync-status"
      data-state={state.sync.state}
      href="/settings#sync"
      title={
        state.sync.error?.message ??
        (state.sync.url ? `Syncing with ${state.sync.url}` : 'Sync your conversations across devices')
      }
      onClick={(event) => {
        event.preventDefault();
        props.onOpen();
        navigate('/settings');
        queueMicrotask(() => document.getElementById('settings-sync-heading')?.scrollIntoView());
      }}
    >
      <span class={`sync-dot sync-${state.sync.state}`} aria-hidden="true" />
      {syncWords(state.sync)}
      <SyncProgress status={state.sync} />
    </a>
  );
}
