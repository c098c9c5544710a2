import { createSignal, Show, type JSX } from 'solid-js';
import type { Conversation } from '../../shared/protocol';
import { PencilIcon, TrashIcon } from '../icons';
import { conversationPath, navigate } from '../router';
import { isComposing } from '../keys';

interface Props {
  conversation: Conversation;
  active: boolean;
  running: boolean;
  onRename: (title: string) => void;
  onDelete: () => void;
}

/** One row: a link to the conversation, inline rename, and delete with confirmation. */
export function ConversationItem(props: Props): JSX.Element {
  const [editing, setEditing] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);
  let input: HTMLInputElement | undefined;

  const commit = () => {
    // Esc and Enter close the field, and the browser then blurs it: that blur changes nothing.
    if (!editing()) return;
    const title = input?.value.trim();
    setEditing(false);
    if (title && title !== props.conversation.title) props.onRename(title);
  };

  return (
    <li class="conversation-row" classList={{ active: props.active }}>
      <Show
        when={!editing()}
        fallback={
          <input
            ref={(element) => {
              input = element;
              queueMicrotask(() => element.select());
            }}
            class="conversation-rename"
            data-testid="conversation-title-input"
            aria-label="Conversation title"
            value={props.conversation.title}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !isComposing(event)) commit();
              if (event.key === 'Escape') {
                event.preventDefault();
                event.stopPropagation();
                setEditing(false);
              }
            }}
            onBlur={commit}
          />
        }
      >
        <a
          data-testid="conversation-item"
          data-id={props.conversation.id}
          href={conversationPath(props.conversation.id)}
          aria-current={props.active ? 'page' : undefined}
          class="conversation-link"
          onClick={(event) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
            event.preventDefault();
            navigate(conversationPath(props.conversation.id));
          }}
          onDblClick={() => setEditing(true)}
        >
          <span class="conversation-title">{props.conversation.title}</span>
          <Show when={props.running}>
            <span class="conversation-running" title="Writing a reply">
              <span class="visually-hidden">(writing a reply)</span>
            </span>
          </Show>
        </a>
        <div class="conversation-actions">
          <button
            class="button ghost small"
            data-testid="rename-conversation"
            aria-label={`Rename “${props.conversation.title}”`}
            title="Rename"
            onClick={() => setEditing(true)}
          >
            <PencilIcon />
          </button>
          <button
            class="button ghost small"
            data-testid="delete-conversation"
            aria-label={`Delete “${props.conversation.title}”`}
            title="Delete"
            onClick={() => setConfirming(true)}
          >
            <TrashIcon />
          </button>
        </div>
      </Show>
      <Show when={confirming()}>
        <div class="conversation-confirm" role="alertdialog" aria-label="Delete conversation">
          <span>Delete this conversation?</span>
          <button
            class="button small danger"
            data-testid="confirm-delete"
            ref={(element) => queueMicrotask(() => element.focus())}
            onClick={() => {
              setConfirming(false);
              props.onDelete();
            }}
            onKeyDown={(event) => {
              if (event.key !== 'Escape') return;
              event.preventDefault();
              setConfirming(false);
            }}
          >
            Delete
          </button>
          <button class="button small" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      </Show>
    </li>
  );
}
