import { batch } from 'solid-js';
import { createStore, reconcile, type SetStoreFunction } from 'solid-js/store';
import type { Observable } from 'rxjs';
import type { ChatCoreApi, Conversation, CoreEvent, Message } from '../../shared/protocol';
import { applyEvent } from './apply-event';
import { emptyState, type AppState } from './app-state';
import { benchNow, recordApplied } from './bench-probe';
import { afterNextPaint } from '../after-paint';
import { makeHiddenTab } from './hidden-tab';
import { FIRST_CONVERSATIONS, requestStartData, type StartData } from './start-data';

/** What the UI needs of the core: its methods (minus the connection ones) and its events. */
export interface UiClient {
  api: Omit<ChatCoreApi, 'attach' | 'subscribe' | 'detach'>;
  events$: Observable<CoreEvent>;
}

/** The tab's store, fed by core events, plus the loads that fill it. */
export interface AppStore {
  state: AppState;
  client: UiClient;
  /** A view shows the conversation: read its messages into the store (before opening its session). */
  loadMessages(conversationId: string): Promise<void>;
  /** A view no longer shows it: its messages are forgotten when none does. */
  unloadMessages(conversationId: string): void;
  /** Stop listening. */
  dispose(): void;
}

function listOf(messages: Message[]) {
  return {
    ids: messages.map((message) => message.id),
    byId: Object.fromEntries(messages.map((message) => [message.id, message])),
    loaded: true,
  };
}

/**
 * A plain factory (`make*`): the store lives outside any component, for the tab's lifetime.
 * Events are applied in arrival order; a missed delta asks the core for a snapshot. While the
 * tab is hidden, it gets no deltas and renders nothing (see `makeHiddenTab`). The lists come in
 * two steps: what the first screen shows (`start`, asked for by the page's entry while this code
 * was loading), then, once that screen is painted, every conversation.
 */
export function makeAppStore(client: UiClient, start: StartData = requestStartData(client.api)): AppStore {
  const [state, set] = createStore<AppState>(emptyState());
  /** Conversations deleted while the lists were on their way: a list read before must not bring them back. */
  const deleted = new Set<string>();

  const apply = (event: CoreEvent, receivedAt: number) => {
    if (event.type === 'conversation-delete') deleted.add(event.conversationId);
    // One event, one update: views never see half of it applied.
    const effect = batch(() => applyEvent(set as SetStoreFunction<AppState>, state, event));
    // Benchmark builds only (dead code otherwise): when each delta was applied and shown.
    if (__BENCH__) recordApplied(event, receivedAt);
    hidden.applied(event);
    if (effect.requestSnapshot) void client.api.requestSnapshot(effect.requestSnapshot);
    if (effect.reloadMessages) void readMessages(effect.reloadMessages);
    const resync = effect.reloadAndResync;
    if (resync) void readMessages(resync).then(() => client.api.requestSnapshot(resync));
  };
  const hidden = makeHiddenTab({
    setHidden: (value) => client.api.setHidden(value),
    apply,
    streamingShown: () => Object.keys(state.messages).filter((id) => state.sessions[id]?.streamingMessageId),
  });

  const subscription = client.events$.subscribe((event) => {
    const receivedAt = __BENCH__ ? benchNow() : 0;
    if (hidden.hold(event, receivedAt)) return;
    hidden.release();
    apply(event, receivedAt);
  });

  const addConversations = (conversations: Conversation[]) => {
    // Events that arrived meanwhile are newer than the lists: merge, don't replace.
    for (const conversation of conversations) {
      if (!state.conversations[conversation.id] && !deleted.has(conversation.id)) {
        set('conversations', conversation.id, conversation);
      }
    }
  };
  void (async () => {
    const [conversations, providers, models, settings, offline] = await Promise.all([
      start.conversations,
      start.providers,
      start.models,
      start.settings,
      start.offline,
    ]);
    batch(() => {
      addConversations(conversations);
      if (state.providers.length === 0) set('providers', providers);
      const byProvider: Record<string, typeof models> = {};
      for (const model of models) (byProvider[model.providerId] ??= []).push(model);
      for (const [providerId, list] of Object.entries(byProvider)) {
        if (!state.models[providerId]) set('models', providerId, list);
      }
      set('settings', reconcile(settings));
      if (offline) set('offline', true);
      set('ready', true);
    });
    // The rest of the list (for scrolling and the filter), once the first screen is painted.
    if (conversations.length >= FIRST_CONVERSATIONS) {
      await afterNextPaint();
      const all = await client.api.listConversations();
      batch(() => addConversations(all));
    }
    deleted.clear();
  })();
  // Not needed for the first paint; a `sync-status` event that came first is newer.
  void client.api.getSyncStatus().then((status) => state.sync.state === 'off' && set('sync', reconcile(status)));

  /** Conversation id → how many views show it: only those hold their messages. */
  const views = new Map<string, number>();
  async function readMessages(conversationId: string): Promise<void> {
    const messages = await client.api.listMessages(conversationId);
    // Left meanwhile: a late list must not bring back what no view shows (nothing would keep it current).
    if (!views.has(conversationId)) return;
    set('messages', conversationId, reconcile(listOf(messages), { merge: true }));
  }

  return {
    state,
    client,
    loadMessages(conversationId) {
      views.set(conversationId, (views.get(conversationId) ?? 0) + 1);
      return readMessages(conversationId);
    },
    unloadMessages(conversationId) {
      const count = (views.get(conversationId) ?? 0) - 1;
      if (count > 0) {
        views.set(conversationId, count);
        return;
      }
      views.delete(conversationId);
      batch(() => {
        set('messages', conversationId, undefined!);
        // What the session said is old once no view listens: a view opening it again waits for a snapshot.
        if (state.sessions[conversationId]) set('sessions', conversationId, 'synced', false);
      });
    },
    dispose() {
      subscription.unsubscribe();
      hidden.dispose();
    },
  };
}
