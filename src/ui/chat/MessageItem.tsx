import { createSignal, Show, type JSX } from 'solid-js';
import type { Message } from '../../shared/protocol';
import { isResumable } from '../../shared/messages';
import { formatCost, formatCostBound, formatUsage, UNKNOWN_COST_NOTE } from '../../shared/pricing';
import { Markdown } from '../markdown/Markdown';
import { BranchNav } from './BranchNav';
import { MessageAttachments } from './MessageAttachments';
import { MessageEditor } from './MessageEditor';
import { reasoningLabel } from './reasoning-label';

/** What the tree says about a message: its versions, and how much hangs below it. */
export interface MessagePlace {
  /** 0-based position among its siblings, and their number. */
  index: number;
  count: number;
  /** Messages below it, on every branch (what a delete takes with it); counted only when asked. */
  descendants: () => number;
}

interface Props {
  message: Message;
  place: MessagePlace;
  /** The last message of the branch shown: an unfinished reply there gets Resume. */
  isLeaf: boolean;
  conversationBusy: boolean;
  /** Opened by a link to this message: marked and scrolled to. */
  highlighted: boolean;
  /** What a streaming reply is waiting on: a retry ("Retrying 1/3 in 2 s…") or the network. */
  runNote?: { badge: string; detail?: string };
  onDelete: () => void;
  onRegenerate: () => void;
  /** Resolves true when the core took the edit; on false the editor stays open with the text. */
  onEdit: (text: string) => Promise<boolean>;
  /** Show the sibling at this position instead. */
  onShowVersion: (index: number) => void;
  onResume: () => void;
  /** The fix for the error, when it is somewhere else: Settings, or the model picker. */
  onOpenSettings: () => void;
  onChooseModel: () => void;
}

const STATUS_WORDS: Record<Message['status'], string> = {
  streaming: 'Writing…',
  complete: '',
  stopped: 'Stopped',
  interrupted: 'Interrupted',
  error: 'Error',
};

/** One formatter for every message: `toLocaleTimeString` builds a new one per call (~0.5 ms). */
const TIME_FORMAT = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' });

/** One message: author, time, state in words, content, its versions and its actions. */
export function MessageItem(props: Props): JSX.Element {
  const [copied, setCopied] = createSignal(false);
  const [editing, setEditing] = createSignal(false);
  const [confirmingDelete, setConfirmingDelete] = createSignal(false);
  const status = () => props.message.status;
  const isUser = () => props.message.role === 'user';
  const statusWords = () =>
    props.message.status === 'complete' && props.message.finishReason === 'length'
      ? 'Cut off (length limit)'
      : STATUS_WORDS[status()];

  const copy = async () => {
    await navigator.clipboard?.writeText(props.message.content).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };

  return (
    <article
      class="message"
      classList={{ [`message-${props.message.role}`]: true, [`status-${status()}`]: true, highlighted: props.highlighted }}
      data-testid="message"
      data-id={props.message.id}
      data-parent-id={props.message.parentId ?? ''}
      data-role={props.message.role}
      data-status={status()}
      data-highlighted={props.highlighted ? 'true' : undefined}
      aria-busy={status() === 'streaming'}
    >
      <header class="message-meta">
        <span class="message-author">{isUser() ? 'You' : (props.message.model ?? 'Assistant')}</span>
        <time dateTime={new Date(props.message.createdAt).toISOString()}>{TIME_FORMAT.format(props.message.createdAt)}</time>
        <Show when={statusWords()}>
          <span class="message-status" classList={{ [`badge-${status()}`]: true }}>
            {props.runNote?.badge ?? statusWords()}
          </span>
        </Show>
        <BranchNav index={props.place.index} count={props.place.count} onShow={(index) => props.onShowVersion(index)} />
      </header>
      <Show when={props.runNote?.detail}>
        <p class="message-note" data-testid="message-note" role="status">
          {props.runNote!.detail}
        </p>
      </Show>
      <Show when={props.message.reasoning}>
        {/* Collapsed by default: the reasoning is there for whoever wants it, never the answer. */}
        <details class="message-reasoning" data-testid="reasoning">
          <summary classList={{ thinking: props.message.status === 'streaming' && props.message.reasoningMs === undefined }}>
            {reasoningLabel(props.message)}
          </summary>
          <div class="message-reasoning-text">{props.message.reasoning}</div>
        </details>
      </Show>
      <Show
        when={!editing()}
        fallback={
          <MessageEditor
            initial={props.message.content}
            onCancel={() => setEditing(false)}
            onSave={async (text) => {
              if (await props.onEdit(text)) setEditing(false);
            }}
          />
        }
      >
        <Show when={props.message.attachments?.length}>
          <MessageAttachments attachments={props.message.attachments!} />
        </Show>
        <Show when={props.message.content || !isUser()}>
          <div class="message-content" data-testid="message-content">
            <Show when={!isUser()} fallback={<p class="message-plain">{props.message.content}</p>}>
              <Markdown text={props.message.content} streaming={status() === 'streaming'} />
            </Show>
          </div>
        </Show>
      </Show>
      <Show when={status() === 'error' && props.message.error}>
        {(error) => (
          <div class="message-error" role="alert">
            <p data-testid="message-error">{error().message}</p>
            <Show when={['auth', 'billing', 'config', 'cors'].includes(error().kind)}>
              <button class="button small" onClick={() => props.onOpenSettings()}>
                Open Settings
              </button>
            </Show>
            <Show when={error().kind === 'not-found'}>
              <button class="button small" onClick={() => props.onChooseModel()}>
                Choose another model
              </button>
            </Show>
          </div>
        )}
      </Show>
      <Show when={confirmingDelete()}>
        <div class="message-confirm" role="alertdialog" aria-label="Delete message">
          <span>
            {props.place.descendants() > 0
              ? `Delete this message and the ${props.place.descendants()} below it?`
              : 'Delete this message?'}
          </span>
          <button
            class="button small danger"
            data-testid="confirm-delete"
            ref={(element) => queueMicrotask(() => element.focus())}
            onClick={() => {
              setConfirmingDelete(false);
              props.onDelete();
            }}
            onKeyDown={(event) => event.key === 'Escape' && setConfirmingDelete(false)}
          >
            Delete
          </button>
          <button class="button small" onClick={() => setConfirmingDelete(false)}>
            Cancel
          </button>
        </div>
      </Show>
      <footer class="message-actions">
        <Show when={props.isLeaf && isResumable(props.message) && !props.conversationBusy}>
          <button class="button small primary" data-testid="resume" onClick={() => props.onResume()}>
            {props.message.content ? '↻ Resume' : '↻ Retry'}
          </button>
        </Show>
        <Show when={status() !== 'streaming' && !editing()}>
          <button class="button small ghost" onClick={copy} aria-label="Copy message">
            {copied() ? 'Copied' : 'Copy'}
          </button>
          <Show when={isUser()}>
            <button
              class="button small ghost"
              data-testid="edit-message"
              disabled={props.conversationBusy}
              onClick={() => setEditing(true)}
            >
              Edit
            </button>
          </Show>
          <Show when={!isUser()}>
            <button
              class="button small ghost"
              data-testid="regenerate"
              disabled={props.conversationBusy}
              onClick={() => props.onRegenerate()}
            >
              Regenerate
            </button>
          </Show>
          <button
            class="button small ghost"
            data-testid="delete-message"
            aria-label="Delete message"
            onClick={() => setConfirmingDelete(true)}
          >
            Delete
          </button>
        </Show>
        <Show when={(props.message.usage || props.message.costUnknown) && !isUser() && status() !== 'streaming'}>
          <span
            class="message-usage"
            data-testid="message-usage"
            title={props.message.costUnknown ? UNKNOWN_COST_NOTE : undefined}
          >
            {props.message.usage ? formatUsage(props.message.usage) : 'Usage not reported'}
            {props.message.costUnknown
              ? ` · cost ${formatCostBound(props.message.cost ?? 0, true)}`
              : props.message.cost
                ? ` · ${formatCost(props.message.cost)}`
                : ''}
          </span>
        </Show>
      </footer>
    </article>
  );
}
