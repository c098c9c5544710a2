import { For, Show, type JSX } from 'solid-js';
import { formatBytes } from '../../shared/bytes';
import { FileIcon } from '../icons';
import type { PendingFiles } from './pending-files';

/** The files waiting to be sent: a chip each (thumbnail, name, size, ✕), and what went wrong. */
export function AttachmentChips(props: { files: PendingFiles; warning?: string }): JSX.Element {
  return (
    <>
      <Show when={props.files.files().length > 0}>
        <ul class="attachment-chips" aria-label="Files to send">
          <For each={props.files.files()}>
            {(entry, index) => (
              <li class="attachment-chip" data-testid="attachment-chip" data-name={entry.file.name}>
                <Show when={entry.previewUrl} fallback={<FileIcon />}>
                  <img class="attachment-thumbnail" src={entry.previewUrl} alt="" />
                </Show>
                <span class="attachment-name">{entry.file.name || 'Pasted image'}</span>
                <span class="attachment-size">{formatBytes(entry.file.size)}</span>
                <button
                  type="button"
                  class="button ghost small"
                  data-testid="remove-attachment"
                  aria-label={`Remove ${entry.file.name || 'pasted image'}`}
                  onClick={() => props.files.remove(index())}
                >
                  ✕
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.files.error() ?? props.warning}>
        <p class="attachment-error" classList={{ warning: !props.files.error() }} data-testid="attachment-error" role="alert">
          {props.files.error() ?? props.warning}
        </p>
      </Show>
    </>
  );
}
