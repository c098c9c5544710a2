import { createSignal, type JSX } from 'solid-js';

interface Props {
  initial: string;
  /** The editor stays open (and its text) until this settles; it closes the editor if it took the edit. */
  onSave: (text: string) => Promise<void>;
  onCancel: () => void;
}

/**
 * Editing a message you sent: saving sends the edit as a new version beside the original (whose
 * replies are kept); cancelling changes nothing. Ctrl/Cmd+Enter saves, Esc cancels.
 */
export function MessageEditor(props: Props): JSX.Element {
  const [text, setText] = createSignal(props.initial);
  const [saving, setSaving] = createSignal(false);
  const save = async () => {
    if (!text().trim() || saving()) return;
    setSaving(true);
    try {
      await props.onSave(text());
    } finally {
      setSaving(false);
    }
  };
  return (
    <form
      class="message-editor"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <textarea
        data-testid="edit-input"
        aria-label="Edit your message"
        rows={Math.min(12, Math.max(2, props.initial.split('\n').length + 1))}
        value={text()}
        ref={(element) =>
          queueMicrotask(() => {
            element.focus();
            element.setSelectionRange(element.value.length, element.value.length);
          })
        }
        onInput={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            props.onCancel();
          } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void save();
          }
        }}
      />
      <div class="message-editor-buttons">
        <button type="submit" class="button small primary" data-testid="edit-save" disabled={!text().trim() || saving()}>
          Save and send
        </button>
        <button type="button" class="button small" data-testid="edit-cancel" onClick={() => props.onCancel()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
