import { produce, reconcile, type SetStoreFunction } from 'solid-js/store';
import type { Conversation, CoreEvent, Message } from '../../shared/protocol';
import { emptySession, type AppState, type MessageList } from './app-state';

/** Something the caller must do after an event: ask for a snapshot after a missed delta. */
export interface EventEffect {
  requestSnapshot?: string;
  /** The tab's copy of a finished message is incomplete: read the conversation again. */
  reloadMessages?: string;
  /**
   * The snapshot streams a reply the tab's list lacks (it started between the list's read and
   * the session's opening): read the conversation again, then ask for a snapshot.
   */
  reloadAndResync?: string;
}

/** The last answer of `conversationStreaming`: every delta of a reply asks the same question. */
let lastStreaming: { messageId: string; conversationId: string } | undefined;

/** The conversation whose session is streaming this message (deltas carry only the message). */
function conversationStreaming(state: AppState, messageId: string): string | undefined {
  if (lastStreaming?.messageId === messageId && state.sessions[lastStreaming.conversationId]?.streamingMessageId === messageId) {
    return lastStreaming.conversationId;
  }
  for (const conversationId in state.sessions) {
    if (state.sessions[conversationId].streamingMessageId === messageId) {
      lastStreaming = { messageId, conversationId };
      return conversationId;
    }
  }
  return undefined;
}

/** Insert or replace a message in a loaded list, keeping creation order. */
function upsertMessage(set: SetStoreFunction<AppState>, state: AppState, message: Message): void {
  const list = state.messages[message.conversationId];
  if (!list) return; // not loaded here: the list is read in full when the conversation opens
  if (list.byId[message.id]) {
    set('messages', message.conversationId, 'byId', message.id, reconcile(message));
    return;
  }
  set(
    'messages',
    message.conversationId,
    produce((draft: MessageList) => {
      draft.byId[message.id] = message;
      // Almost always an append; a message from another tab may land just before the tail.
      let index = draft.ids.length;
      while (index > 0 && draft.byId[draft.ids[index - 1]].createdAt > message.createdAt) index--;
      draft.ids.splice(index, 0, message.id);
    }),
  );
}

function ensureSession(set: SetStoreFunction<AppState>, state: AppState, conversationId: string): void {
  if (!state.sessions[conversationId]) set('sessions', conversationId, emptySession());
}

/**
 * Fold one core event into the store. Deltas are path updates on one message's content; a
 * snapshot replaces a session through `reconcile`. Returns what the caller must do next.
 */
export function applyEvent(set: SetStoreFunction<AppState>, state: AppState, event: CoreEvent): EventEffect {
  switch (event.type) {
    case 'session-snapshot': {
      const { session } = event;
      const id = session.conversationId;
      set(
        'sessions',
        id,
        reconcile({
          runStatus: session.runStatus,
          streamingMessageId: session.streaming?.messageId ?? null,
          seq: session.streaming?.seq ?? 0,
          sessionCost: session.sessionCost,
          sessionCostUnknown: session.sessionCostUnknown,
          usage: session.usage,
          lastError: session.lastError,
          retry: session.retry,
          synced: true,
        }),
      );
      const streaming = session.streaming;
      const message = streaming ? state.messages[id]?.byId[streaming.messageId] : undefined;
      if (streaming && message) {
        set('messages', id, 'byId', streaming.messageId, {
          content: streaming.content,
          reasoning: streaming.reasoning || undefined,
          reasoningMs: streaming.reasoningMs,
          status: 'streaming',
        });
      }
      return streaming && !message && state.messages[id]?.loaded ? { reloadAndResync: id } : {};
    }
    case 'message-start': {
      ensureSession(set, state, event.conversationId);
      upsertMessage(set, state, event.message);
      set('sessions', event.conversationId, { streamingMessageId: event.message.id, seq: 0 });
      return {};
    }
    case 'message-delta': {
      const conversationId = conversationStreaming(state, event.messageId);
      if (!conversationId) return {};
      const session = state.sessions[conversationId];
      if (event.seq <= session.seq) return {}; // already in a snapshot
      if (event.seq !== session.seq + 1) return { requestSnapshot: conversationId };
      set('sessions', conversationId, 'seq', event.seq);
      if (!state.messages[conversationId]?.byId[event.messageId]) return {};
      set('messages', conversationId, 'byId', event.messageId, 'content', (content) => content + event.text);
      if (event.reasoning) {
        set('messages', conversationId, 'byId', event.messageId, 'reasoning', (reasoning) => (reasoning ?? '') + event.reasoning);
      }
      if (event.reasoningMs !== undefined)
        set('messages', conversationId, 'byId', event.messageId, 'reasoningMs', event.reasoningMs);
      return {};
    }
    case 'message-end': {
      const { contentLength, reasoningLength, ...ending } = event.message;
      const endStream = () =>
        state.sessions[event.conversationId] && set('sessions', event.conversationId, 'streamingMessageId', null);
      const existing = state.messages[event.conversationId]?.byId[ending.id];
      if (!existing) {
        endStream();
        return state.messages[event.conversationId] ? { reloadMessages: event.conversationId } : {};
      }
      // The message's final state first, then the stream's end: never a moment where the
      // message still says "streaming" while no stream owns it.
      set(
        'messages',
        event.conversationId,
        'byId',
        ending.id,
        reconcile({ ...ending, content: existing.content, reasoning: existing.reasoning }),
      );
      endStream();
      const complete = existing.content.length === contentLength && (existing.reasoning?.length ?? 0) === reasoningLength;
      return complete ? {} : { reloadMessages: event.conversationId };
    }
    case 'message-upsert':
      upsertMessage(set, state, event.message);
      return {};
    case 'message-delete': {
      if (!state.messages[event.conversationId]) return {};
      set(
        'messages',
        event.conversationId,
        produce((draft: MessageList) => {
          const gone = new Set(event.messageIds);
          for (const id of gone) delete draft.byId[id];
          draft.ids = draft.ids.filter((id) => !gone.has(id));
        }),
      );
      return {};
    }
    case 'run-status': {
      ensureSession(set, state, event.conversationId);
      set('sessions', event.conversationId, {
        runStatus: event.status,
        sessionCost: event.sessionCost,
        sessionCostUnknown: event.sessionCostUnknown,
        lastError: event.error,
        retry: event.retry,
        ...(event.usage ? { usage: event.usage } : {}),
      });
      return {};
    }
    case 'conversation-upsert':
      set('conversations', event.conversation.id, reconcile(event.conversation));
      return {};
    case 'conversations-upsert':
      set(
        'conversations',
        produce((draft: Record<string, Conversation>) => {
          for (const conversation of event.conversations) draft[conversation.id] = conversation;
        }),
      );
      return {};
    case 'conversation-delete':
      set(
        produce((draft: AppState) => {
          delete draft.conversations[event.conversationId];
          delete draft.messages[event.conversationId];
          delete draft.sessions[event.conversationId];
        }),
      );
      return {};
    case 'providers-change':
      set('providers', reconcile(event.providers, { key: 'id' }));
      return {};
    case 'models-change':
      set('models', event.providerId, reconcile(event.models, { key: 'id' }));
      return {};
    case 'settings-change':
      set('settings', reconcile(event.settings));
      return {};
    case 'connectivity-change':
      set('offline', event.offline);
      return {};
    case 'core-outdated':
      set('outdated', event.reason);
      return {};
    case 'sync-status':
      set('sync', reconcile(event.status));
      return {};
    case 'import-progress':
      // Shown by the import form that started it (it listens to the events itself).
      return {};
  }
}
