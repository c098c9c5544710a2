/**
 * The contract between a tab and the core (the SharedWorker): domain records, the events the
 * core pushes, and the `ChatCoreApi` each tab calls through Comlink.
 *
 * Everything here is plain, structured-cloneable data. Expected failures travel as
 * {@link ErrorInfo} values inside a {@link Result}, because Comlink keeps only `name` and
 * `message` of a thrown error.
 */

/**
 * Bumped whenever a method or event changes shape; `attach` refuses a tab of another version.
 * 2: `SessionState` lost the fields no tab read; `renameConversation` and `getConversation` went.
 * 3: conversations are trees (`parentId`, `activeLeafId`, edit, switch branch, subtree delete).
 * 4: attachments (`Message.attachments`, files on send and edit, `getAttachment`, model modalities).
 * 5: reasoning time (`reasoningMs` on messages, deltas and the streaming snapshot), unknown cost
 *    (`costUnknown` on messages and conversations, `sessionCostUnknown` on sessions and
 *    `run-status`), and `detectLocalServers`.
 * 6: sync (`sync-status` events; `getSyncStatus`, `enableSync`, `syncNow`, `disableSync`);
 *    `conversation-delete` names the messages that went with it.
 * 7: `search`; `importFiles` (files read in the core, `import-progress` events, a fuller report)
 *    replaces `importData`; `conversations-upsert` carries an import's conversations in bulk.
 * 8: `setHidden`: a hidden tab gets no deltas; `listConversations` takes a limit.
 * 9: `ImportReport.updated`: conversations imported before that a newer export added to;
 *    `Conversation.importedUntil`.
 */
export const PROTOCOL_VERSION = 9;

// ─────────────────────────────────────────────────────────────
// Errors
// ─────────────────────────────────────────────────────────────

/** Every way a request to the core or a provider can fail, as a person would tell them apart. */
export const ERROR_KINDS = [
  'auth',
  'billing',
  'not-found',
  'rate-limit',
  'server',
  'network',
  'cors',
  'timeout',
  'malformed-stream',
  'aborted',
  'busy',
  'storage',
  'config',
] as const;

/** One of {@link ERROR_KINDS}. */
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** A classified failure: `message` is written for a person and names the next step. */
export interface ErrorInfo {
  kind: ErrorKind;
  message: string;
  /** The provider's HTTP status, when the failure came with one. */
  httpStatus?: number;
  /** Whether trying again unchanged may succeed (rate limits, 5xx, dropped connections). */
  retryable: boolean;
  /** The delay the provider asked for before a retry (from `retry-after`), in milliseconds. */
  retryAfterMs?: number;
}

/** The outcome of a call that can fail in an expected way. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

// ─────────────────────────────────────────────────────────────
// Providers and models
// ─────────────────────────────────────────────────────────────

/** Ids of the built-in provider presets, in the order the provider form lists them (see `presets.ts`). */
export const PRESET_IDS = [
  'openai',
  'openrouter',
  'ppq',
  'anthropic',
  'deepseek',
  'groq',
  'together',
  'fireworks',
  'xai',
  'ollama',
  'lmstudio',
  'llamacpp',
  'custom',
] as const;

/** One of {@link PRESET_IDS}. */
export type PresetId = (typeof PRESET_IDS)[number];

/** A provider the user configured: one OpenAI-compatible endpoint with its key. */
export interface Provider {
  id: string;
  presetId: PresetId;
  /** The name the user sees ("OpenRouter", "Work OpenAI"). */
  name: string;
  /** The API root, e.g. `https://api.openai.com/v1`. */
  baseURL: string;
  /** Absent for local servers that need none. Never logged, never sent elsewhere. */
  apiKey?: string;
  enabled: boolean;
  createdAt: number;
  lastUsed?: number;
}

/** What a tab sends to create or change a provider; `id` absent means "create". */
export interface ProviderInput {
  id?: string;
  presetId: PresetId;
  name: string;
  baseURL: string;
  apiKey?: string;
  enabled?: boolean;
}

/** Prices in USD per million tokens. */
export interface ModelPricing {
  promptPerMillion: number;
  completionPerMillion: number;
}

/** One model a provider offers, as last fetched (kept for offline use). */
export interface Model {
  providerId: string;
  id: string;
  name: string;
  description?: string;
  /** The context window in tokens, when the provider says. */
  contextLength?: number;
  /**
   * What the model reads (`text`, `image`, …), when the provider's list says so (OpenRouter's
   * `architecture.input_modalities`). Absent means unknown, not "text only".
   */
  inputModalities?: string[];
  pricing?: ModelPricing;
  /** When this list was fetched from the provider (epoch ms). */
  fetchedAt: number;
}

// ─────────────────────────────────────────────────────────────
// Conversations and messages
// ─────────────────────────────────────────────────────────────

/** Token counts of one reply, or summed over several. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** A conversation's header row. Its messages are stored one row each, as a tree. */
export interface Conversation {
  id: string;
  title: string;
  /**
   * The last message of the branch shown (null while empty). The path from the root to it is
   * what every tab shows and what the provider receives.
   */
  activeLeafId: string | null;
  providerId: string;
  modelId: string;
  systemPrompt?: string;
  createdAt: number;
  updatedAt: number;
  /** Tokens summed over every reply ever generated in the conversation, every branch. */
  usage: Usage;
  /** USD summed over every reply ever generated in the conversation, every branch. */
  cost: number;
  /** Some reply's provider reported no usage: `cost` is then a lower bound. */
  costUnknown?: boolean;
  /**
   * When each field a person changes was last set (epoch ms), so that two devices merge field by
   * field (see `shared/conversation-edits.ts`). A field never stamped counts as set at creation.
   */
  edits?: Partial<Record<'title' | 'providerId' | 'modelId' | 'systemPrompt' | 'activeLeafId', number>>;
  /**
   * Imported: the newest message time the file held (epoch ms). A newer export of the same
   * conversation adds only what came after it, so a message deleted here stays deleted.
   */
  importedUntil?: number;
}

/** Fields of a conversation a tab may change after creating it. */
export interface ConversationPatch {
  title?: string;
  providerId?: string;
  modelId?: string;
  /** An empty string clears the system prompt. */
  systemPrompt?: string;
}

/** What a tab sends to create a conversation; unset fields come from the settings. */
export interface ConversationInput {
  title?: string;
  providerId?: string;
  modelId?: string;
  systemPrompt?: string;
}

/** Message authors. */
export const ROLES = ['system', 'user', 'assistant'] as const;

/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/**
 * Where a message stands. `streaming` is live; `stopped` (a user stopped it), `interrupted`
 * (the core died mid-reply) and `error` keep their partial text and can be resumed.
 */
export const MESSAGE_STATUSES = ['streaming', 'complete', 'stopped', 'interrupted', 'error'] as const;

/** One of {@link MESSAGE_STATUSES}. */
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Why the model stopped, as the provider reported it. */
export const FINISH_REASONS = ['stop', 'length', 'content_filter', 'tool_calls', 'error'] as const;

/** One of {@link FINISH_REASONS}, or `null` while unknown. */
export type FinishReason = (typeof FINISH_REASONS)[number] | null;

/**
 * A file attached to a message: a reference to a Blob in the `attachments` store, never the data
 * itself. Images are stored scaled to what providers accept.
 */
export interface AttachmentRef {
  id: string;
  name: string;
  mime: string;
  /** Bytes as stored. */
  size: number;
  kind: 'image' | 'text';
  /** Pixels, for images. */
  width?: number;
  height?: number;
}

/** A file a tab sends with a message (a File or Blob crosses the port as itself, not copied to text). */
export interface NewAttachment {
  name: string;
  /** The type the browser declared; the core checks it against the bytes. */
  mime: string;
  data: Blob;
}

/** One message, one row. `content` is only ever what the user or the model wrote. */
export interface Message {
  id: string;
  conversationId: string;
  /** The message this one answers or follows; null for a first message. Siblings are alternatives. */
  parentId: string | null;
  role: Role;
  content: string;
  /**
   * Reasoning text, for models that stream it (as `reasoning_content`, `reasoning`, or a
   * `<think>` block opening the content): shown apart from the answer, never as it.
   */
  reasoning?: string;
  /** How long the model reasoned, in ms (summed over resumes); set when its reasoning ended. */
  reasoningMs?: number;
  /** Files sent with a user message, in the order they were attached. */
  attachments?: AttachmentRef[];
  status: MessageStatus;
  error?: ErrorInfo;
  usage?: Usage;
  /** USD for this reply. */
  cost?: number;
  /**
   * A run of this reply got text but no usage (a provider that reports none, a stream stopped
   * before its last chunk): `usage` and `cost`, if any, are lower bounds.
   */
  costUnknown?: boolean;
  /** The model that wrote it (assistant messages). */
  model?: string;
  providerId?: string;
  finishReason?: FinishReason;
  createdAt: number;
  updatedAt: number;
}

// ─────────────────────────────────────────────────────────────
// Settings
// ─────────────────────────────────────────────────────────────

/** Colour scheme choices; `system` follows the operating system. */
export const THEMES = ['system', 'light', 'dark'] as const;

/** One of {@link THEMES}. */
export type Theme = (typeof THEMES)[number];

/** Global preferences, one record. */
export interface Settings {
  activeProviderId: string | null;
  activeModelId: string | null;
  /** `providerId/modelId`, most recent first, at most 10. */
  recentModels: string[];
  theme: Theme;
}

// ─────────────────────────────────────────────────────────────
// Sessions
// ─────────────────────────────────────────────────────────────

/**
 * Where the current run of a conversation stands. `waiting` means the provider can't be
 * reached: the message is kept and goes out when it can, unless the user stops it.
 */
export type RunStatus = 'idle' | 'starting' | 'retrying' | 'waiting' | 'streaming' | 'complete' | 'stopped' | 'error';

/** A retry the core is waiting on before the first token. */
export interface RetryInfo {
  /** 1-based attempt about to be made. */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  /** Why the previous attempt failed. */
  error: ErrorInfo;
}

/** The reply being written right now, as far as the core has sent it. */
export interface StreamingMessage {
  messageId: string;
  content: string;
  reasoning: string;
  /** Set once its reasoning ended (see `Message.reasoningMs`). */
  reasoningMs?: number;
  /** Sequence number of the last delta folded into `content`. */
  seq: number;
}

/**
 * The transient state of one conversation's session, shared by every tab viewing it
 * (the seed's `ChatSessionState`, minus what no tab reads).
 */
export interface SessionState {
  conversationId: string;
  runStatus: RunStatus;
  /** The reply being written, from its run; null when none runs. */
  streaming: StreamingMessage | null;
  /** Usage of the last reply. */
  usage?: Usage;
  /** USD spent in this session (since it was opened in the core). */
  sessionCost: number;
  /** A reply in this session had no usage reported: `sessionCost` is a lower bound. */
  sessionCostUnknown?: boolean;
  lastError?: ErrorInfo;
  retry?: RetryInfo;
}

// ─────────────────────────────────────────────────────────────
// Events (core → tab)
// ─────────────────────────────────────────────────────────────

/** Full state of one session: sent when a tab opens it, and whenever a tab asks after a gap. */
export interface SessionSnapshotEvent {
  type: 'session-snapshot';
  session: SessionState;
}

/** An assistant message began (or resumed) streaming; `message.content` is its text so far. */
export interface MessageStartEvent {
  type: 'message-start';
  conversationId: string;
  message: Message;
}

/**
 * New text for a streaming message. `seq` increases by one per delta within a run (its
 * `message-start` is seq 0).
 * No conversation id: the tab knows the message from `message-start` or the snapshot, and this
 * event is the one sent dozens of times a second.
 */
export interface MessageDeltaEvent {
  type: 'message-delta';
  messageId: string;
  seq: number;
  text: string;
  reasoning?: string;
  /** Sent in the batch where the reply's reasoning ended: how long it took, in ms. */
  reasoningMs?: number;
}

/**
 * A message as it ended, without its text: the tabs already have every character from the
 * deltas (the bytes sent per reply stay linear). The lengths let a tab check it has it all.
 */
export type FinalMessage = Omit<Message, 'content' | 'reasoning'> & {
  contentLength: number;
  reasoningLength: number;
};

/** A streaming message reached its final state (complete, stopped, error). */
export interface MessageEndEvent {
  type: 'message-end';
  conversationId: string;
  message: FinalMessage;
}

/** A stored message was created or changed outside streaming (a user message, an edit). */
export interface MessageUpsertEvent {
  type: 'message-upsert';
  conversationId: string;
  message: Message;
}

/** Stored messages were deleted: a message and everything below it. */
export interface MessageDeleteEvent {
  type: 'message-delete';
  conversationId: string;
  messageIds: string[];
}

/** The run of a conversation changed state. Sent to every tab (lists show what is running). */
export interface RunStatusEvent {
  type: 'run-status';
  conversationId: string;
  status: RunStatus;
  error?: ErrorInfo;
  usage?: Usage;
  sessionCost: number;
  /** See `SessionState.sessionCostUnknown`. */
  sessionCostUnknown?: boolean;
  retry?: RetryInfo;
}

/** A conversation was created or its header changed. */
export interface ConversationUpsertEvent {
  type: 'conversation-upsert';
  conversation: Conversation;
}

/** Many conversations were added at once (an import): one event, so a tab re-sorts its list once. */
export interface ConversationsUpsertEvent {
  type: 'conversations-upsert';
  conversations: Conversation[];
}

/** A conversation and its messages were deleted. */
export interface ConversationDeleteEvent {
  type: 'conversation-delete';
  conversationId: string;
  /** The messages that went with it (sync removes them from the server too). */
  messageIds: string[];
}

/** Sync changed state (or made progress). Sent to every tab. */
export interface SyncStatusEvent {
  type: 'sync-status';
  status: SyncStatus;
}

/** The provider list changed; carries the whole (short) list. */
export interface ProvidersChangeEvent {
  type: 'providers-change';
  providers: Provider[];
}

/** A provider's stored model list changed. */
export interface ModelsChangeEvent {
  type: 'models-change';
  providerId: string;
  models: Model[];
}

/** The settings changed. */
export interface SettingsChangeEvent {
  type: 'settings-change';
  settings: Settings;
}

/** Whether the core can reach the providers: set by failed and successful requests. */
export interface ConnectivityChangeEvent {
  type: 'connectivity-change';
  offline: boolean;
}

/** Another build's core or database schema took over; the tab should offer a reload. */
export interface CoreOutdatedEvent {
  type: 'core-outdated';
  reason: string;
}

/** The stages of an import, in order. */
export const IMPORT_PHASES = ['reading', 'checking', 'writing'] as const;

/** One of {@link IMPORT_PHASES}. */
export type ImportPhase = (typeof IMPORT_PHASES)[number];

/**
 * How far this tab's import has come. Sent only to the tab that started it. `done` and `total`
 * count bytes while reading and conversations after that.
 */
export interface ImportProgressEvent {
  type: 'import-progress';
  phase: ImportPhase;
  done: number;
  total: number;
}

/** Everything the core pushes to a tab. */
export type CoreEvent =
  | SessionSnapshotEvent
  | MessageStartEvent
  | MessageDeltaEvent
  | MessageEndEvent
  | MessageUpsertEvent
  | MessageDeleteEvent
  | RunStatusEvent
  | ConversationUpsertEvent
  | ConversationsUpsertEvent
  | ConversationDeleteEvent
  | ProvidersChangeEvent
  | ModelsChangeEvent
  | SettingsChangeEvent
  | ConnectivityChangeEvent
  | CoreOutdatedEvent
  | SyncStatusEvent
  | ImportProgressEvent;

/**
 * Where the core posts a tab's events: one end of a MessageChannel the tab transfers in
 * `subscribe`. Plain posts, not Comlink calls: no envelope and no reply per event.
 */
export interface EventPort {
  postMessage(event: CoreEvent): void;
  close(): void;
}

// ─────────────────────────────────────────────────────────────
// The API (tab → core)
// ─────────────────────────────────────────────────────────────

/** What a tab says about itself when it connects. */
export interface AttachOptions {
  /** Unique per tab (per page load). */
  tabId: string;
  /** The Web Lock the tab holds for its lifetime; the core learns the tab died when it gets it. */
  lockName: string;
  protocolVersion: number;
  buildId: string;
}

/** What the core answers to `attach`. */
export interface AttachInfo {
  buildId: string;
  protocolVersion: number;
}

/** A sent message and the reply it started. */
export interface SendReceipt {
  userMessageId: string;
  assistantMessageId: string;
}

/**
 * A server on this machine that answered at a local preset's default address (Settings →
 * "Detect local servers"). `models` lists what it serves; `problem` says why it could not be
 * used from this page (CORS: with the server's setting to change).
 */
export interface LocalServer {
  presetId: PresetId;
  name: string;
  baseURL: string;
  models: string[];
  problem?: ErrorInfo;
}

/** Result of a provider connection test. */
export interface ConnectionReport {
  modelCount: number;
}

/** The kinds of file Parley imports, told apart by their content. */
export const IMPORT_FORMATS = ['parley', 'legacy', 'chatgpt', 'open-webui'] as const;

/** One of {@link IMPORT_FORMATS}. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Parts of an imported file Parley did not keep, and why, e.g. `{count: 3, what: 'tool calls and their results'}`. */
export interface ImportNote {
  count: number;
  what: string;
}

/**
 * What an import added (existing records are never overwritten). Importing the same file again
 * adds nothing: every record keeps an id made from the source's own.
 */
export interface ImportReport {
  format: ImportFormat;
  conversations: number;
  messages: number;
  providers: number;
  /** Records left out because one with the same id already exists (imported before). */
  skipped: number;
  /**
   * Conversations imported before that this import added to (what a newer export of the same
   * client holds beyond them); absent when none. Their new messages count in `messages`.
   */
  updated?: number;
  /** Files (a ChatGPT export's images) stored as attachments of the messages added; absent when none. */
  attachments?: number;
  /** What the file held that Parley left out, by reason. */
  notKept: ImportNote[];
  /**
   * The writes stopped part-way (a full disk): what is counted above is stored, whole
   * conversations only; these were not.
   */
  unfinished?: { reason: string; conversations: number; messages: number };
}

/** Options of a data export. */
export interface ExportOptions {
  /** API keys are left out unless the user asks for them. */
  includeKeys: boolean;
}

/** What a search returns at most, unless asked for fewer. */
export const SEARCH_LIMIT = 50;

/** Options of a search. */
export interface SearchOptions {
  /** At most this many hits (default and ceiling {@link SEARCH_LIMIT}). */
  limit?: number;
  /** Forgive typos (default true); a filter that narrows a list wants exact words and prefixes only. */
  typos?: boolean;
}

/** A matched word in a snippet: `[start, end)` in UTF-16 code units. */
export interface TextRange {
  start: number;
  end: number;
}

/** One message that matches a search, with where it lives and why it matched. */
export interface SearchHit {
  conversationId: string;
  messageId: string;
  /** The conversation's title. */
  title: string;
  role: Role;
  /** When the message was written (epoch ms). */
  createdAt: number;
  /** Plain text around the best match, on one line; shown as text, never as HTML. */
  snippet: string;
  /** The matched words in `snippet`, in order. */
  matches: TextRange[];
}

/** A search's answer: the best hits, every matching conversation, and whether the index is complete. */
export interface SearchResults {
  query: string;
  hits: SearchHit[];
  /** Every conversation with a match, best first (the sidebar filter shows these). */
  conversationIds: string[];
  /** Present while the index is still being built after a start: messages indexed so far, of how many. */
  indexing?: { indexed: number; total: number };
}

/**
 * Where sync stands: `off`; `syncing` (sending or receiving now); `idle` (up to date); `offline`
 * (the server can't be reached; changes wait and go when it can); `error` (it needs the person:
 * wrong password, a database that isn't there).
 */
export const SYNC_STATES = ['off', 'syncing', 'idle', 'offline', 'error'] as const;

/** One of {@link SYNC_STATES}. */
export type SyncState = (typeof SYNC_STATES)[number];

/** Sync as the tabs show it. Credentials and the passphrase never leave the core. */
export interface SyncStatus {
  state: SyncState;
  /** The server's database address, while sync is on. */
  url?: string;
  username?: string;
  /** What went wrong and the fix, in `error` (and the last failure while `offline`). */
  error?: ErrorInfo;
  /** While a first sync of a large history runs: documents done, and of how many. */
  progress?: { done: number; total: number };
  /** When this device was last up to date with the server (epoch ms). */
  lastSyncedAt?: number;
}

/** What a person types to turn sync on. */
export interface SyncSetup {
  /** A CouchDB database, e.g. `https://couch.example.com/parley`. */
  url: string;
  username: string;
  password: string;
  /** Encrypts everything before it leaves the device; the same on every device. */
  passphrase: string;
}

/** Browser storage usage, from `navigator.storage`. */
export interface StorageReport {
  usage: number;
  quota: number;
  persisted: boolean;
}

/**
 * The core's API, one instance per tab. Methods only (Comlink).
 *
 * Order of use: `attach` → `subscribe` → `openSession` for each conversation on screen →
 * … → `closeSession` → `detach`.
 */
export interface ChatCoreApi {
  /** Introduce the tab. Fails with `config` when the protocol versions differ. */
  attach(options: AttachOptions): Promise<Result<AttachInfo>>;
  /** Receive events on this port (transferred). One per tab; a second call replaces the first. */
  subscribe(events: EventPort): Promise<void>;
  /** Say goodbye: drops this tab's sessions and listener. */
  detach(): Promise<void>;

  /** Hold a reference to a conversation's session; a `session-snapshot` event follows. */
  openSession(conversationId: string): Promise<void>;
  /** Drop this tab's reference. Never stops a running reply. */
  closeSession(conversationId: string): Promise<void>;
  /** Ask for a fresh `session-snapshot` (after a delta gap). */
  requestSnapshot(conversationId: string): Promise<void>;
  /**
   * The tab can or cannot be seen. While hidden it gets no `message-delta` (a hidden page would
   * only hold them); made visible, it gets a `session-snapshot` of every conversation it has
   * open, then deltas again. A reply that ended meanwhile comes whole: a `message-upsert` with
   * its text, then its `message-end`.
   */
  setHidden(hidden: boolean): Promise<void>;

  /** Newest first. With a `limit`, only the newest that many: a first screen asks for those first. */
  listConversations(limit?: number): Promise<Conversation[]>;
  listMessages(conversationId: string): Promise<Message[]>;
  createConversation(input?: ConversationInput): Promise<Result<Conversation>>;
  /** Change the title, model or system prompt. An empty title is refused (`config`). */
  updateConversation(conversationId: string, patch: ConversationPatch): Promise<Result<Conversation>>;
  /** Deletes the conversation and its messages, stopping its run first. */
  deleteConversation(conversationId: string): Promise<Result<void>>;
  /** Deletes a message and everything below it; `busy` if the reply being written is among them. */
  deleteMessage(conversationId: string, messageId: string): Promise<Result<void>>;
  /** Show the branch through `messageId`, down to its most recent leaf, in every tab. */
  switchBranch(conversationId: string, messageId: string): Promise<Result<Conversation>>;

  /**
   * Store the user's message (and its files) at the end of the shown branch and start a reply.
   * `busy` while a reply runs; a file that cannot be sent fails the whole send (`config`), a full
   * disk fails it with `storage` — nothing is stored then.
   */
  sendMessage(conversationId: string, content: string, attachments?: NewAttachment[]): Promise<Result<SendReceipt>>;
  /**
   * An edited user message: a new sibling of `messageId` (the old branch is kept) and a reply to
   * it. The original's files go with the edit.
   */
  editMessage(conversationId: string, messageId: string, content: string): Promise<Result<SendReceipt>>;
  /** A stored attachment's file, for showing or downloading it; undefined once deleted. */
  getAttachment(attachmentId: string): Promise<Blob | undefined>;
  /** Stop the running reply; its partial text is kept as `stopped`. */
  stopGeneration(conversationId: string): Promise<Result<void>>;
  /** Continue the shown branch's last reply (stopped, interrupted, error or cut by length) in the same message. */
  resumeGeneration(conversationId: string): Promise<Result<SendReceipt>>;
  /** A new reply beside the assistant message `messageId` (a sibling answering the same message); the old one stays. */
  regenerate(conversationId: string, messageId: string): Promise<Result<SendReceipt>>;

  listProviders(): Promise<Provider[]>;
  saveProvider(input: ProviderInput): Promise<Result<Provider>>;
  deleteProvider(providerId: string): Promise<Result<void>>;
  /** Try the endpoint and key without saving anything. */
  testConnection(input: ProviderInput): Promise<Result<ConnectionReport>>;
  /**
   * Probe the local presets' default addresses (Ollama, LM Studio, llama.cpp) and list the
   * servers there: the ones that answer, with their models, and the ones running but refusing
   * this page. Stores nothing.
   */
  detectLocalServers(): Promise<LocalServer[]>;
  /** Stored models of one provider; `refresh` fetches them first (falls back to the cache). */
  listModels(providerId: string, options?: { refresh?: boolean }): Promise<Result<Model[]>>;
  /** Every stored model of every enabled provider (for the picker, works offline). */
  listAllModels(): Promise<Model[]>;

  getSettings(): Promise<Settings>;
  updateSettings(patch: Partial<Settings>): Promise<Settings>;

  storageReport(): Promise<StorageReport>;

  /** Everything as one JSON document (`format: "parley-export"`). */
  exportData(options: ExportOptions): Promise<Result<string>>;
  /**
   * Import files, told apart by content: a Parley export, a legacy file, a ChatGPT data export
   * (its .zip, `conversations.json`, or the split `conversations-NNN.json` files together), or
   * an Open WebUI chat export. Read and checked whole in the core before anything is written, then
   * written in transactions of whole conversations; `import-progress` events go to this tab.
   */
  importFiles(files: Blob[]): Promise<Result<ImportReport>>;
  /** Full-text search over every message of every conversation (prefix and typo tolerant), best first. */
  search(query: string, options?: SearchOptions): Promise<SearchResults>;
  /** Whether the core currently believes the providers are unreachable. */
  isOffline(): Promise<boolean>;

  getSyncStatus(): Promise<SyncStatus>;
  /**
   * Turn sync on with a CouchDB database: its address and login, and the passphrase everything
   * is encrypted with. Checked first (`auth`, `network`, `config` — a wrong passphrase for a
   * database that already holds Parley data is refused, never garbage).
   */
  enableSync(setup: SyncSetup): Promise<Result<SyncStatus>>;
  /** Send and receive now instead of waiting for the next change. */
  syncNow(): Promise<Result<void>>;
  /** Stop syncing. Everything on this device stays; the server is left as it is. */
  disableSync(): Promise<Result<void>>;
}
