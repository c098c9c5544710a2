import { createEffect, createSignal, on, Show, type JSX } from 'solid-js';
import { PaperclipIcon } from '../icons';
import { AttachmentChips } from './AttachmentChips';
import { readDraft, writeDraft } from './drafts';
import type { PendingFiles } from './pending-files';
import { isComposing } from '../keys';

interface Props {
  conversationId: string;
  streaming: boolean;
  /** Files waiting to go with the next message (added here, by paste, or dropped on the chat). */
  files: PendingFiles;
  /** Said beside the files when the model is known not to read images. */
  imageWarning?: string;
  /** Resolves true when the core accepted the message (the draft and the files are then cleared). */
  onSend: (text: string, files: File[]) => Promise<boolean>;
  onStop: () => void;
  disabledReason?: string;
}

/** The message box: Enter sends, Shift+Enter adds a line, Esc stops the reply; files by the paperclip, paste or drop. */
export function Composer(props: Props): JSX.Element {
  const [text, setText] = createSignal('');
  const [sending, setSending] = createSignal(false);
  let textarea: HTMLTextAreaElement | undefined;
  let picker: HTMLInputElement | undefined;

  createEffect(
    on(
      () => props.conversationId,
      (id) => {
        setText(readDraft(id));
        props.files.clear();
        queueMicrotask(() => {
          fit();
          textarea?.focus({ preventScroll: true });
        });
      },
    ),
  );

  const fit = () => {
    if (!textarea) return;
    textarea.style.height = 'auto';
    textarea.style.height = `${Math.min(textarea.scrollHeight, 240)}px`;
  };

  const hasContent = () => text().trim().length > 0 || props.files.files().length > 0;
  const canSend = () => hasContent() && !props.streaming && !sending() && !props.disabledReason;

  /**
   * Enter while a reply is being written still asks the core, which says why it cannot send
   * (one reply at a time per conversation) — the text stays, and the person is told, instead of
   * a key press that silently does nothing.
   */
  const send = async () => {
    if (!hasContent() || sending() || props.disabledReason) return;
    const id = props.conversationId;
    const value = text();
    const files = props.files.files().map((entry) => entry.file);
    setSending(true);
    try {
      if (await props.onSend(value, files)) {
        // What was typed (or attached) while the message went out stays for the next one.
        const now = props.conversationId === id ? text() : readDraft(id);
        const rest = now.startsWith(value) ? now.slice(value.length).replace(/^\s+/, '') : now;
        writeDraft(id, rest);
        if (props.conversationId === id) {
          setText(rest);
          props.files.forget(files);
        }
        queueMicrotask(fit);
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <div class="composer-area">
      <AttachmentChips files={props.files} warning={props.imageWarning} />
      <form
        class="composer"
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <label class="visually-hidden" for="composer-input">
          Message
        </label>
        <textarea
          id="composer-input"
          ref={textarea}
          data-testid="composer"
          rows={1}
          placeholder={props.disabledReason ?? 'Write a message…'}
          value={text()}
          onPaste={(event) => {
            // A screenshot on the clipboard arrives as a file; plain text pastes as usual.
            const pasted = [...(event.clipboardData?.files ?? [])];
            if (pasted.length === 0) return;
            event.preventDefault();
            void props.files.add(pasted);
          }}
          onInput={(event) => {
            setText(event.currentTarget.value);
            writeDraft(props.conversationId, event.currentTarget.value);
            fit();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !isComposing(event)) {
              event.preventDefault();
              void send();
            } else if (event.key === 'Escape' && props.streaming) {
              event.preventDefault();
              props.onStop();
            }
          }}
        />
        <input
          ref={picker}
          type="file"
          multiple
          class="visually-hidden"
          tabindex="-1"
          aria-hidden="true"
          data-testid="attach-input"
          onChange={(event) => {
            const chosen = [...(event.currentTarget.files ?? [])];
            event.currentTarget.value = '';
            void props.files.add(chosen);
          }}
        />
        <div class="composer-buttons">
          <button
            type="button"
            class="button ghost composer-attach"
            data-testid="attach"
            aria-label="Attach files (or paste, or drop them on the chat)"
            title="Attach files"
            onClick={() => picker?.click()}
          >
            <PaperclipIcon />
          </button>
          <Show when={props.streaming}>
            <button
              type="button"
              class="button composer-stop"
              data-testid="stop"
              onClick={() => props.onStop()}
              aria-label="Stop the reply (Esc)"
            >
              ■ Stop
            </button>
          </Show>
          <button
            type="submit"
            class="button primary composer-send"
            data-testid="send"
            disabled={!canSend()}
            aria-label="Send message"
          >
            Send
          </button>
        </div>
      </form>
    </div>
  );
}
