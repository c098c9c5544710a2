import { createEffect, createMemo, createSignal, on, Show, type JSX } from 'solid-js';
import type { Conversation, Message, Model } from '../../shared/protocol';
import { addUsage, formatCostBound, formatUsage, UNKNOWN_COST_NOTE } from '../../shared/pricing';
import type { SessionView } from '../state/app-state';
import { ModelPicker } from './ModelPicker';

interface Props {
  conversation: Conversation;
  /** The branch shown: its replies' tokens and cost, beside the whole conversation's. */
  branch: Message[];
  session: SessionView;
  onPickModel: (model: Model) => void;
  onSystemPrompt: (text: string) => void;
  onMenu: () => void;
  /** Opens the model picker whenever it changes. */
  pickerRequest: number;
}

/** Title, model, and the session's cost and tokens: small, quiet, always there. */
export function ChatHeader(props: Props): JSX.Element {
  const [editingPrompt, setEditingPrompt] = createSignal(false);
  let promptInput: HTMLTextAreaElement | undefined;
  // The view stays when another conversation opens: an open prompt editor belongs to the one left.
  createEffect(
    on(
      () => props.conversation.id,
      () => setEditingPrompt(false),
      { defer: true },
    ),
  );
  const branchTotals = createMemo(() => {
    let usage = { promptTokens: 0, completionTokens: 0 };
    let cost = 0;
    let costUnknown = false;
    for (const message of props.branch) {
      if (message.usage) usage = addUsage(usage, message.usage);
      cost += message.cost ?? 0;
      costUnknown ||= message.costUnknown === true;
    }
    return { usage, cost, costUnknown };
  });
  /** Other branches cost something too: then the branch's figures differ from the whole's. */
  const hasOtherBranches = () =>
    branchTotals().usage.completionTokens !== props.conversation.usage.completionTokens ||
    branchTotals().usage.promptTokens !== props.conversation.usage.promptTokens;

  return (
    <header class="chat-header">
      <div class="chat-header-row">
        <button
          class="button ghost menu-button"
          aria-label="Open conversations"
          data-testid="open-sidebar"
          onClick={() => props.onMenu()}
        >
          ☰
        </button>
        <h1 class="chat-title" title={props.conversation.title}>
          {props.conversation.title}
        </h1>
        <ModelPicker
          providerId={props.conversation.providerId}
          modelId={props.conversation.modelId}
          onPick={props.onPickModel}
          openRequest={props.pickerRequest}
        />
        <button
          class="button ghost small"
          classList={{ 'has-prompt': Boolean(props.conversation.systemPrompt) }}
          aria-expanded={editingPrompt()}
          data-testid="system-prompt-toggle"
          title="System prompt"
          onClick={() => setEditingPrompt(!editingPrompt())}
        >
          {props.conversation.systemPrompt ? 'System prompt ✓' : 'System prompt'}
        </button>
      </div>
      <div class="chat-stats" aria-label="Session cost and usage">
        <span title={props.session.sessionCostUnknown ? UNKNOWN_COST_NOTE : undefined}>
          Session{' '}
          <span data-testid="session-cost">{formatCostBound(props.session.sessionCost, props.session.sessionCostUnknown)}</span>
        </span>
        <Show when={props.session.usage}>
          <span>
            Last reply <span data-testid="usage">{formatUsage(props.session.usage!)}</span>
          </span>
        </Show>
        <Show when={hasOtherBranches()}>
          <span data-testid="branch-cost" title={`This branch: ${formatUsage(branchTotals().usage)}`}>
            Branch {formatCostBound(branchTotals().cost, branchTotals().costUnknown)}
          </span>
        </Show>
        <Show when={props.conversation.cost > 0 || props.conversation.costUnknown || hasOtherBranches()}>
          <span
            data-testid="conversation-cost"
            title={`Every reply in this conversation, all branches: ${formatUsage(props.conversation.usage)}${props.conversation.costUnknown ? `. ${UNKNOWN_COST_NOTE}` : ''}`}
          >
            Total {formatCostBound(props.conversation.cost, props.conversation.costUnknown)}
          </span>
        </Show>
      </div>
      <Show when={editingPrompt()}>
        <form
          class="system-prompt"
          onSubmit={(event) => {
            event.preventDefault();
            props.onSystemPrompt(promptInput?.value ?? '');
            setEditingPrompt(false);
          }}
        >
          <label for="system-prompt-input">System prompt for this conversation</label>
          <textarea
            id="system-prompt-input"
            ref={promptInput}
            data-testid="system-prompt"
            rows={3}
            placeholder="e.g. You are a concise assistant. Answer in British English."
            value={props.conversation.systemPrompt ?? ''}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.stopPropagation();
                setEditingPrompt(false);
              }
            }}
          />
          <div class="system-prompt-buttons">
            <button type="submit" class="button small primary">
              Save
            </button>
            <button type="button" class="button small" onClick={() => setEditingPrompt(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Show>
    </header>
  );
}
