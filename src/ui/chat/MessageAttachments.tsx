import { createEffect, createSignal, For, on, onCleanup, Show, type Accessor, type JSX } from 'solid-js';
import { formatBytes } from '../../shared/bytes';
import type { AttachmentRef } from '../../shared/protocol';
import { useStore } from '../context';
import { FileIcon } from '../icons';

/**
 * An object URL for a stored file (`asText`: served as plain text), read from the core when shown and revoked when it goes: the
 * file stays in IndexedDB (works offline), the page holds only a handle while it shows it.
 */
function createAttachmentUrl(attachmentId: Accessor<string>, asText = false): Accessor<string | undefined> {
  const { client } = useStore();
  const [url, setUrl] = createSignal<string>();
  createEffect(
    on(attachmentId, (id) => {
      let current: string | undefined;
      let cancelled = false;
      void client.api.getAttachment(id).then((blob) => {
        if (cancelled || !blob) return;
        // A file opened in a tab (a middle click ignores `download`) shows as text, whatever
        // type it came with: an imported `text/html` never renders under the app's origin.
        current = URL.createObjectURL(asText ? new Blob([blob], { type: 'text/plain;charset=utf-8' }) : blob);
        setUrl(current);
      });
      onCleanup(() => {
        cancelled = true;
        if (current) URL.revokeObjectURL(current);
        setUrl(undefined);
      });
    }),
  );
  return url;
}

function ImageAttachment(props: { attachment: AttachmentRef }): JSX.Element {
  const url = createAttachmentUrl(() => props.attachment.id);
  let viewer: HTMLDialogElement | undefined;
  return (
    <>
      <button
        type="button"
        class="message-attachment attachment-image"
        data-testid="message-attachment"
        data-name={props.attachment.name}
        data-mime={props.attachment.mime}
        aria-label={`Open ${props.attachment.name} full size`}
        onClick={() => viewer?.showModal()}
      >
        <img src={url()} alt={props.attachment.name} width={props.attachment.width} height={props.attachment.height} />
      </button>
      <dialog
        ref={viewer}
        class="image-viewer"
        aria-label={props.attachment.name}
        onClick={(event) => event.target === viewer && viewer?.close()}
      >
        <img src={url()} alt={props.attachment.name} />
        <form method="dialog" class="image-viewer-bar">
          <span>
            {props.attachment.name} · {props.attachment.width}×{props.attachment.height}
          </span>
          <button class="button small">Close</button>
        </form>
      </dialog>
    </>
  );
}

function FileAttachment(props: { attachment: AttachmentRef }): JSX.Element {
  const url = createAttachmentUrl(() => props.attachment.id, true);
  return (
    <a
      class="message-attachment attachment-file"
      data-testid="message-attachment"
      data-name={props.attachment.name}
      data-mime={props.attachment.mime}
      href={url()}
      download={props.attachment.name}
    >
      <FileIcon />
      <span class="attachment-name">{props.attachment.name}</span>
      <span class="attachment-size">{formatBytes(props.attachment.size)}</span>
    </a>
  );
}

/** The files sent with a message: image thumbnails that open full size, file chips that download. */
export function MessageAttachments(props: { attachments: AttachmentRef[] }): JSX.Element {
  return (
    <div class="message-attachments">
      <For each={props.attachments}>
        {(attachment) => (
          <Show when={attachment.kind === 'image'} fallback={<FileAttachment attachment={attachment} />}>
            <ImageAttachment attachment={attachment} />
          </Show>
        )}
      </For>
    </div>
  );
}
