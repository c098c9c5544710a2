import type {
  Conversation,
  CoreEvent,
  ErrorInfo,
  Message,
  Model,
  Provider,
  RetryInfo,
  RunStatus,
  Settings,
  SyncStatus,
  Usage,
} from '../../shared/protocol';
import { defaultSettings } from '../../shared/settings';

/** The live state of one conversation's session, as this tab knows it. */
export interface SessionView {
  runStatus: RunStatus;
  streamingMessageId: string | null;
  /** Last delta sequence number applied; a gap means a missed delta. */
  seq: number;
  sessionCost: number;
  /** A reply's cost is unknown: `sessionCost` is a lower bound. */
  sessionCostUnknown?: boolean;
  usage?: Usage;
  lastError?: ErrorInfo;
  retry?: RetryInfo;
  /** A snapshot from the core has arrived: `streamingMessageId` is authoritative. */
  synced: boolean;
}

/** One conversation's loaded messages, in order. */
export interface MessageList {
  ids: string[];
  byId: Record<string, Message>;
  loaded: boolean;
}

/** Everything a tab renders. Keyed by id so updates are path updates, not array copies. */
export interface AppState {
  ready: boolean;
  conversations: Record<string, Conversation>;
  messages: Record<string, MessageList>;
  sessions: Record<string, SessionView>;
  providers: Provider[];
  /** Stored models per provider id. */
  models: Record<string, Model[]>;
  settings: Settings;
  /** The core can't reach the providers (history still reads fine). */
  offline: boolean;
  /** Set when another build took over; the UI offers a reload. */
  outdated?: string;
  /** Where sync stands (`off` until the core says otherwise). */
  sync: SyncStatus;
}

export function emptyState(): AppState {
  return {
    ready: false,
    offline: false,
    conversations: {},
    messages: {},
    sessions: {},
    providers: [],
    models: {},
    settings: defaultSettings(),
    sync: { state: 'off' },
  };
}

export function emptySession(): SessionView {
  return { runStatus: 'idle', streamingMessageId: null, seq: 0, sessionCost: 0, synced: false };
}

/** Conversations newest first. */
export function sortedConversations(state: AppState): Conversation[] {
  return Object.values(state.conversations).sort((a, b) => b.updatedAt - a.updatedAt);
}

/** A conversation's messages in order (empty until loaded). */
export function messagesOf(state: AppState, conversationId: string): Message[] {
  const list = state.messages[conversationId];
  return list ? list.ids.map((id) => list.byId[id]).filter(Boolean) : [];
}

/** Whether this conversation's reply is being written now. */
export function isRunning(status: RunStatus | undefined): boolean {
  return status === 'starting' || status === 'retrying' || status === 'waiting' || status === 'streaming';
}

export type { CoreEvent };
