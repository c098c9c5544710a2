import { createEffect, createMemo, createSignal, on, Show, type JSX } from 'solid-js';
import { useStore } from '../context';
import { navigate } from '../router';
import { createChatActions, createChatSession } from '../primitives';
import { ChatHeader } from './ChatHeader';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { createPendingFiles } from './pending-files';
import './chat.css';
import './tree.css';
import './attachments.css';
import './reasoning.css';

interface Props {
  conversationId: string;
  /** A linked message (`/c/<id>/m/<messageId>`): its branch is shown and it is scrolled to. */
  messageId?: string;
  onMenu: () => void;
}

/** One conversation: header, the reading column and the composer. */
export function ChatView(props: Props): JSX.Element {
  const { state } = useStore();
  const chat = createChatSession(() => props.conversationId);
  const actions = createChatActions();
  const [error, setError] = createSignal<string>();
  const [announcement, setAnnouncement] = createSignal('');
  const files = createPendingFiles();
  const [dropping, setDropping] = createSignal(false);
  /** Said before sending when the conversation's model is known not to read images. */
  const imageWarning = createMemo(() => {
    const conversation = chat.conversation();
    if (!conversation || !files.files().some((entry) => entry.kind === 'image')) return undefined;
    const model = state.models[conversation.providerId]?.find((candidate) => candidate.id === conversation.modelId);
    if (!model?.inputModalities || model.inputModalities.includes('image')) return undefined;
    return `${model.name} does not read images: it will get only your text. Pick a model that does, or send anyway.`;
  });
  /** Bumped to open the model picker from elsewhere (an error's "Choose another model"). */
  const [pickerRequest, setPickerRequest] = createSignal(0);

  createEffect(
    on(
      () => props.conversationId,
      () => setError(undefined),
    ),
  );
  // A link to a message on another branch shows that branch (in every tab, as any switch does).
  createEffect(
    on(
      () => [props.messageId, chat.tree().get(props.messageId ?? '') !== undefined] as const,
      ([messageId, known]) => {
        if (!messageId || !known || chat.messages().some((message) => message.id === messageId)) return;
        void actions.switchBranch(props.conversationId, messageId).then(report);
      },
    ),
  );
  // Screen readers hear that a reply ended, not every token.
  createEffect(
    on(
      () => chat.session().runStatus,
      (status, previous) => {
        if (previous && previous !== status && (status === 'complete' || status === 'stopped' || status === 'error')) {
          const last = chat.messages().at(-1);
          setAnnouncement(status === 'complete' ? `Reply finished. ${last?.content.slice(0, 200) ?? ''}` : `Reply ${status}.`);
        }
      },
    ),
  );

  /** What the streaming reply is waiting for, in words (retry, or no connection). */
  const runNote = createMemo(() => {
    const session = chat.session();
    if (session.runStatus === 'waiting') {
      return {
        badge: 'Waiting for connection',
        detail:
          `${session.lastError?.message ?? ''} Your message is kept and goes out when the provider can be reached; Stop cancels it.`.trim(),
      };
    }
    const retry = session.retry;
    if (session.runStatus === 'retrying' && retry) {
      return {
        badge: `Retrying ${retry.attempt}/${retry.maxAttempts} in ${Math.ceil(retry.delayMs / 1000)} s…`,
        detail: retry.error.message,
      };
    }
    return undefined;
  });
  const noProvider = () => state.ready && state.providers.length === 0;

  const report = (problem: { message: string } | undefined) => {
    setError(problem?.message);
    return !problem;
  };

  return (
    <Show
      when={chat.conversation()}
      fallback={
        <div class="chat-missing">
          <Show when={state.ready} fallback={<p>Loading…</p>}>
            <p>This conversation doesn't exist (it may have been deleted in another tab).</p>
          </Show>
        </div>
      }
    >
      {(conversation) => (
        <section
          class="chat"
          classList={{ dropping: dropping() }}
          aria-label={conversation().title}
          onDragOver={(event) => {
            if (!event.dataTransfer?.types.includes('Files')) return;
            event.preventDefault();
            setDropping(true);
          }}
          onDragLeave={(event) => {
            if (event.currentTarget === event.target || !event.currentTarget.contains(event.relatedTarget as Node))
              setDropping(false);
          }}
          onDrop={(event) => {
            if (!event.dataTransfer?.files.length) return;
            event.preventDefault();
            setDropping(false);
            void files.add([...event.dataTransfer.files]);
          }}
        >
          <Show when={dropping()}>
            <div class="drop-overlay" aria-hidden="true">
              Drop files to attach them
            </div>
          </Show>
          <ChatHeader
            conversation={conversation()}
            branch={chat.messages()}
            session={chat.session()}
            onMenu={props.onMenu}
            pickerRequest={pickerRequest()}
            onPickModel={(model) =>
              void actions.update(props.conversationId, { providerId: model.providerId, modelId: model.id }).then(report)
            }
            onSystemPrompt={(text) => void actions.update(props.conversationId, { systemPrompt: text }).then(report)}
          />
          <Show when={chat.loaded() && chat.messages().length === 0}>
            <div class="chat-empty">
              <p>Ask anything. Replies stream into every tab that has this conversation open.</p>
            </div>
          </Show>
          <MessageList
            conversationId={props.conversationId}
            messages={chat.messages()}
            tree={chat.tree()}
            highlightedId={props.messageId}
            busy={chat.isStreaming()}
            streamingMessageId={chat.session().synced ? chat.session().streamingMessageId : undefined}
            runNote={runNote()}
            onDelete={(messageId) => void actions.deleteMessage(props.conversationId, messageId).then(report)}
            onRegenerate={(messageId) => void actions.regenerate(props.conversationId, messageId).then(report)}
            onEdit={(messageId, text) => actions.edit(props.conversationId, messageId, text).then(report)}
            onSwitch={(messageId) => void actions.switchBranch(props.conversationId, messageId).then(report)}
            onResume={() => void actions.resume(props.conversationId).then(report)}
            onOpenSettings={() => navigate('/settings')}
            onChooseModel={() => setPickerRequest((count) => count + 1)}
          />
          <div class="chat-bottom">
            <Show when={error()}>
              <div class="chat-error" role="alert" data-testid="chat-error">
                <span>{error()}</span>
                <button class="button small ghost" aria-label="Dismiss" onClick={() => setError(undefined)}>
                  ✕
                </button>
              </div>
            </Show>
            <Composer
              conversationId={props.conversationId}
              streaming={chat.isStreaming()}
              disabledReason={noProvider() ? 'Add a provider in Settings to start chatting' : undefined}
              files={files}
              imageWarning={imageWarning()}
              onSend={async (text, chosen) => report(await actions.send(props.conversationId, text, chosen))}
              onStop={() => void actions.stop(props.conversationId)}
            />
          </div>
          <div class="visually-hidden" aria-live="polite">
            {announcement()}
          </div>
        </section>
      )}
    </Show>
  );
}
