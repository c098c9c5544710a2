import { createEffect, createMemo, on, onCleanup, type Accessor } from 'solid-js';
import type { Conversation, ConversationPatch, ErrorInfo, Message, Result } from '../shared/protocol';
import { MessageTree } from '../shared/tree';
import { useStore } from './context';
import { emptySession, isRunning, messagesOf, sortedConversations, type SessionView } from './state/app-state';

/** The reactive conversation list, newest first (the seed's useConversations). */
export function createConversations(): Accessor<Conversation[]> {
  const { state } = useStore();
  return createMemo(() => sortedConversations(state));
}

/** A conversation on screen: its stored messages plus live session state (the seed's useChatSession). */
export interface ChatSession {
  conversation: Accessor<Conversation | undefined>;
  /** Every message of every branch, as a tree. */
  tree: Accessor<MessageTree<Message>>;
  /** The branch shown: root to the conversation's active leaf. */
  messages: Accessor<Message[]>;
  session: Accessor<SessionView>;
  isStreaming: Accessor<boolean>;
  loaded: Accessor<boolean>;
}

/**
 * Open the conversation's session for as long as the calling component lives (or until the id
 * changes): messages are read first, then the session opened, so its snapshot lands on them.
 */
export function createChatSession(conversationId: Accessor<string | undefined>): ChatSession {
  const store = useStore();
  const { state, client } = store;
  createEffect(
    on(conversationId, (id) => {
      if (!id) return;
      let opened = false;
      let cancelled = false;
      void store.loadMessages(id).then(async () => {
        if (cancelled) return;
        opened = true;
        await client.api.openSession(id);
      });
      onCleanup(() => {
        cancelled = true;
        if (opened) void client.api.closeSession(id);
        store.unloadMessages(id);
      });
    }),
  );
  const session = createMemo(() => {
    const id = conversationId();
    return (id && state.sessions[id]) || emptySession();
  });
  const conversation = () => {
    const id = conversationId();
    return id ? state.conversations[id] : undefined;
  };
  // Reads each message's id, parent and time only: streamed text does not rebuild the tree.
  const tree = createMemo(() => {
    const id = conversationId();
    return new MessageTree(id ? messagesOf(state, id) : []);
  });
  return {
    conversation,
    tree,
    // A leaf this tab does not know yet shows the newest branch rather than nothing, so the view
    // never empties for a moment: a reply another tab started whose message is on the way, or a
    // reply still streaming on another device (it syncs when it ends) below a question that has
    // arrived.
    messages: createMemo(() => {
      const leafId = conversation()?.activeLeafId ?? null;
      return tree().path(leafId === null || tree().get(leafId) ? leafId : tree().latestLeaf());
    }),
    session,
    isStreaming: () => isRunning(session().runStatus),
    loaded: () => {
      const id = conversationId();
      return Boolean(id && state.messages[id]?.loaded);
    },
  };
}

/** Actions on conversations; each answers with the error to show, if any (the seed's useChatActions). */
export function createChatActions() {
  const { api } = useStore().client;
  const error = <T>(result: Result<T>): ErrorInfo | undefined => (result.ok ? undefined : result.error);
  return {
    create: (input?: { providerId?: string; modelId?: string }) => api.createConversation(input),
    send: async (conversationId: string, text: string, files: File[] = []) =>
      error(
        await api.sendMessage(
          conversationId,
          text,
          files.map((file) => ({ name: file.name, mime: file.type, data: file })),
        ),
      ),
    stop: async (conversationId: string) => error(await api.stopGeneration(conversationId)),
    resume: async (conversationId: string) => error(await api.resumeGeneration(conversationId)),
    edit: async (conversationId: string, messageId: string, text: string) =>
      error(await api.editMessage(conversationId, messageId, text)),
    switchBranch: async (conversationId: string, messageId: string) => error(await api.switchBranch(conversationId, messageId)),
    regenerate: async (conversationId: string, messageId: string) => error(await api.regenerate(conversationId, messageId)),
    deleteMessage: async (conversationId: string, messageId: string) => error(await api.deleteMessage(conversationId, messageId)),
    rename: async (conversationId: string, title: string) => error(await api.updateConversation(conversationId, { title })),
    update: async (conversationId: string, patch: ConversationPatch) =>
      error(await api.updateConversation(conversationId, patch)),
    remove: async (conversationId: string) => error(await api.deleteConversation(conversationId)),
  };
}

export type ChatActions = ReturnType<typeof createChatActions>;
