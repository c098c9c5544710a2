import { createSignal, Show, type JSX } from 'solid-js';
import type { Message } from '../../shared/protocol';
import { isResumable } from '../../shared/messages';
import { formatCost, formatUsage } from '../../shared/pricing';
import { Markdown } from '../markdown/Markdown';

interface Props {
  message: Message;
  /** The last assistant message: it gets Regenerate, and Resume when unfinished. */
  isLastReply: boolean;
  conversationBusy: boolean;
  /** What a streaming reply is waiting on: a retry ("Retrying 1/3 in 2 s…") or the network. */
  runNote?: { badge: string; detail?: string };
  onDelete: () => void;
  onRegenerate: () => void;
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

function time(timestamp: number): string {
  return TIME_FORMAT.format(timestamp);
}

/** One message: author, time, state in words, content, and its actions. */
export function MessageItem(props: Props): JSX.Element {
  const [copied, setCopied] = createSignal(false);
  const status = () => props.message.status;
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
      classList={{ [`message-${props.message.role}`]: true, [`status-${status()}`]: true }}
      data-testid="message"
      data-id={props.message.id}
      data-role={props.message.role}
      data-status={status()}
      aria-busy={status() === 'streaming'}
    >
      <header class="message-meta">
        <span class="message-author">{props.message.role === 'user' ? 'You' : (props.message.model ?? 'Assistant')}</span>
        <time dateTime={new Date(props.message.createdAt).toISOString()}>{time(props.message.createdAt)}</time>
        <Show when={statusWords()}>
          <span class="message-status" classList={{ [`badge-${status()}`]: true }}>
            {props.runNote?.badge ?? statusWords()}
          </span>
        </Show>
      </header>
      <Show when={props.runNote?.detail}>
        <p class="message-note" data-testid="message-note" role="status">
          {props.runNote!.detail}
        </p>
      </Show>
      <Show when={props.message.reasoning}>
        <details class="message-reasoning">
          <summary>Reasoning</summary>
          <div class="message-reasoning-text">{props.message.reasoning}</div>
        </details>
      </Show>
      <div class="message-content" data-testid="message-content">
        <Show when={props.message.role === 'assistant'} fallback={<p class="message-plain">{props.message.content}</p>}>
          <Markdown text={props.message.content} streaming={status() === 'streaming'} />
        </Show>
      </div>
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
      <footer class="message-actions">
        <Show when={props.isLastReply && isResumable(props.message) && !props.conversationBusy}>
          <button class="button small primary" data-testid="resume" onClick={() => props.onResume()}>
            {props.message.content ? '↻ Resume' : '↻ Retry'}
          </button>
        </Show>
        <Show when={status() !== 'streaming'}>
          <button class="button small ghost" onClick={copy} aria-label="Copy message">
            {copied() ? 'Copied' : 'Copy'}
          </button>
          <Show when={props.isLastReply && !props.conversationBusy}>
            <button class="button small ghost" data-testid="regenerate" onClick={() => props.onRegenerate()}>
              Regenerate
            </button>
          </Show>
          <button
            class="button small ghost"
            data-testid="delete-message"
            onClick={() => props.onDelete()}
            aria-label="Delete message"
            disabled={props.conversationBusy && props.isLastReply}
          >
            Delete
          </button>
        </Show>
        <Show when={props.message.usage && props.message.role === 'assistant' && status() !== 'streaming'}>
          <span class="message-usage">
            {formatUsage(props.message.usage!)}
            {props.message.cost ? ` · ${formatCost(props.message.cost)}` : ''}
          </span>
        </Show>
      </footer>
    </article>
  );
}
