import { Subject } from 'rxjs';
import { vi } from 'vitest';
import type {
  ConnectionReport,
  Conversation,
  ConversationInput,
  ConversationPatch,
  CoreEvent,
  ExportOptions,
  FinalMessage,
  ImportReport,
  LocalServer,
  Message,
  Model,
  Provider,
  ProviderInput,
  Result,
  SearchOptions,
  SearchResults,
  SendReceipt,
  Settings,
  StorageReport,
  SyncSetup,
  SyncStatus,
} from '../../src/shared/protocol';
import { defaultSettings } from '../../src/shared/settings';
import { byCreation, linkInOrder } from '../../src/shared/tree';
import type { UiClient } from '../../src/ui/state/app-store';

const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'c1',
    title: 'First chat',
    activeLeafId: null,
    providerId: 'p1',
    modelId: 'model-a',
    createdAt: 1,
    updatedAt: Date.now(),
    usage: { promptTokens: 0, completionTokens: 0 },
    cost: 0,
    ...overrides,
  };
}

export function message(overrides: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    conversationId: 'c1',
    parentId: null,
    role: 'assistant',
    content: 'Hello',
    status: 'complete',
    createdAt: 10,
    updatedAt: 10,
    ...overrides,
  };
}

export const PROVIDER: Provider = {
  id: 'p1',
  presetId: 'custom',
  name: 'Mock',
  baseURL: 'http://x/v1',
  enabled: true,
  createdAt: 1,
};

export interface FakeCoreData {
  conversations?: Conversation[];
  messages?: Message[];
  providers?: Provider[];
  models?: Model[];
  settings?: Partial<Settings>;
  exported?: string;
  importResult?: Result<ImportReport>;
  storage?: StorageReport;
  /** What `search` answers for a query (default: nothing found). */
  search?: (query: string) => SearchResults | undefined;
  /** Stored files by attachment id. */
  attachments?: Record<string, Blob>;
  localServers?: LocalServer[];
  sync?: SyncStatus;
}

/**
 * A fake core for UI tests: fixed data, settings kept in memory, every method a spy, and `emit`
 * to push core events as the worker would. The api `satisfies` the real one, so a protocol
 * change breaks this file at compile time rather than a test at run time.
 */
export function makeFakeCore(data: FakeCoreData = {}) {
  const events$ = new Subject<CoreEvent>();
  const messages = data.messages ?? [];
  // Fixtures written as flat lists become one branch, shown, as the core would store them.
  for (const entry of data.conversations ?? []) {
    const own = messages.filter((candidate) => candidate.conversationId === entry.id).sort(byCreation);
    if (entry.activeLeafId === null && own.every((candidate) => candidate.parentId === null))
      entry.activeLeafId = linkInOrder(own);
  }
  let settings: Settings = { ...defaultSettings(), ...data.settings };
  const api = {
    openSession: vi.fn(async (_conversationId: string) => {}),
    closeSession: vi.fn(async (_conversationId: string) => {}),
    requestSnapshot: vi.fn(async (_conversationId: string) => {}),
    setHidden: vi.fn(async (_hidden: boolean) => {}),

    listConversations: vi.fn(async (limit?: number) =>
      [...(data.conversations ?? [])].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, limit),
    ),
    listMessages: vi.fn(async (id: string) => messages.filter((entry) => entry.conversationId === id)),
    createConversation: vi.fn(async (_input?: ConversationInput) => ok(conversation({ id: 'new' }))),
    updateConversation: vi.fn(async (_id: string, _patch: ConversationPatch) => ok(conversation())),
    deleteConversation: vi.fn(async (_id: string) => ok(undefined)),
    deleteMessage: vi.fn(async (_id: string, _messageId: string) => ok(undefined)),
    switchBranch: vi.fn(async (_id: string, _messageId: string) => ok(conversation())),

    sendMessage: vi.fn(async (_id: string, _content: string): Promise<Result<SendReceipt>> =>
      ok({ userMessageId: 'u', assistantMessageId: 'a' }),
    ),
    editMessage: vi.fn(async (_id: string, _messageId: string, _content: string): Promise<Result<SendReceipt>> =>
      ok({ userMessageId: 'u2', assistantMessageId: 'a2' }),
    ),
    stopGeneration: vi.fn(async (_id: string) => ok(undefined)),
    resumeGeneration: vi.fn(async (_id: string): Promise<Result<SendReceipt>> =>
      ok({ userMessageId: '', assistantMessageId: 'a' }),
    ),
    regenerate: vi.fn(async (_id: string, _messageId: string): Promise<Result<SendReceipt>> =>
      ok({ userMessageId: '', assistantMessageId: 'a' }),
    ),

    listProviders: vi.fn(async () => data.providers ?? [PROVIDER]),
    saveProvider: vi.fn(async (input: ProviderInput): Promise<Result<Provider>> =>
      ok({ ...input, id: input.id ?? 'new-id', enabled: input.enabled ?? true, createdAt: 2 }),
    ),
    deleteProvider: vi.fn(async (_id: string): Promise<Result<void>> => ok(undefined)),
    testConnection: vi.fn(async (_input: ProviderInput): Promise<Result<ConnectionReport>> => ok({ modelCount: 3 })),
    detectLocalServers: vi.fn(async (): Promise<LocalServer[]> => data.localServers ?? []),
    listModels: vi.fn(async (_id: string, _options?: { refresh?: boolean }): Promise<Result<Model[]>> => ok([])),
    listAllModels: vi.fn(async () => data.models ?? []),

    getSettings: vi.fn(async () => settings),
    updateSettings: vi.fn(async (patch: Partial<Settings>) => (settings = { ...settings, ...patch })),
    storageReport: vi.fn(
      async (): Promise<StorageReport> => data.storage ?? { usage: 3 * 1024 * 1024, quota: 512 * 1024 * 1024, persisted: false },
    ),
    exportData: vi.fn(async (_options: ExportOptions): Promise<Result<string>> => ok(data.exported ?? '{}')),
    importFiles: vi.fn(
      async (_files: Blob[]): Promise<Result<ImportReport>> =>
        data.importResult ?? ok({ format: 'parley', conversations: 0, messages: 0, providers: 0, skipped: 0, notKept: [] }),
    ),
    search: vi.fn(
      async (query: string, _options?: SearchOptions): Promise<SearchResults> =>
        data.search?.(query) ?? { query, hits: [], conversationIds: [] },
    ),
    isOffline: vi.fn(async () => false),
    getSyncStatus: vi.fn(async (): Promise<SyncStatus> => data.sync ?? { state: 'off' }),
    enableSync: vi.fn(async (setup: SyncSetup): Promise<Result<SyncStatus>> =>
      ok({ state: 'syncing', url: setup.url, username: setup.username }),
    ),
    syncNow: vi.fn(async (): Promise<Result<void>> => ok(undefined)),
    disableSync: vi.fn(async (): Promise<Result<void>> => ok(undefined)),
    getAttachment: vi.fn(async (id: string): Promise<Blob | undefined> => data.attachments?.[id]),
  } satisfies UiClient['api'];
  const client: UiClient = { api, events$ };
  return { client, api, events$, emit: (event: CoreEvent) => events$.next(event) };
}

/** A `message-end` payload for a message: everything but the text, with its lengths. */
export function ending(full: Message): FinalMessage {
  const { content, reasoning, ...rest } = full;
  return { ...rest, contentLength: content.length, reasoningLength: reasoning?.length ?? 0 };
}

/**
 * What the core sends when a reply starts: the conversation now shows the reply's branch, then
 * the reply itself.
 */
export function replyStarted(reply: Message): CoreEvent[] {
  return [
    { type: 'conversation-upsert', conversation: conversation({ id: reply.conversationId, activeLeafId: reply.id }) },
    { type: 'message-start', conversationId: reply.conversationId, message: reply },
  ];
}
