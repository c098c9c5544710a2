import { createEffect, createSignal, on, Show, type JSX } from 'solid-js';
import { readDraft, writeDraft } from './drafts';

interface Props {
  conversationId: string;
  streaming: boolean;
  /** Resolves true when the core accepted the message (the draft is then cleared). */
  onSend: (text: string) => Promise<boolean>;
  onStop: () => void;
  disabledReason?: string;
}

/** The message box: Enter sends, Shift+Enter adds a line, Esc stops the reply. */
export function Composer(props: Props): JSX.Element {
  const [text, setText] = createSignal('');
  const [sending, setSending] = createSignal(false);
  let textarea: HTMLTextAreaElement | undefined;

  createEffect(
    on(
      () => props.conversationId,
      (id) => {
        setText(readDraft(id));
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

  const canSend = () => text().trim().length > 0 && !props.streaming && !sending() && !props.disabledReason;

  const send = async () => {
    if (!canSend()) return;
    const id = props.conversationId;
    const value = text();
    setSending(true);
    try {
      if (await props.onSend(value)) {
        writeDraft(id, '');
        if (props.conversationId === id) setText('');
        queueMicrotask(fit);
      }
    } finally {
      setSending(false);
    }
  };

  return (
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
        onInput={(event) => {
          setText(event.currentTarget.value);
          writeDraft(props.conversationId, event.currentTarget.value);
          fit();
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            void send();
          } else if (event.key === 'Escape' && props.streaming) {
            event.preventDefault();
            props.onStop();
          }
        }}
      />
      <div class="composer-buttons">
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
  );
}
