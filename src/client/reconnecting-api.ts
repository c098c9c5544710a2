import type {
  ConnectionReport,
  Conversation,
  ConversationInput,
  ConversationPatch,
  ExportOptions,
  ImportReport,
  LocalServer,
  Message,
  Model,
  NewAttachment,
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
} from '../shared/protocol';
import { fail } from '../shared/result';
import type { CoreApi } from './core-client';
import type { OpenSessions } from './open-sessions';

/** One attached core as the calls see it: its methods, and the promise that says it is gone. */
export interface Connection {
  readonly api: CoreApi;
  readonly lost: Promise<void>;
}

/** Where the calls find the core. */
export interface ConnectionSource {
  /** The connection of now, if there is one. */
  current(): Connection | undefined;
  /** The connection of now, or else the next one. */
  next(): Promise<Connection>;
  readonly sessions: OpenSessions;
}

const CUT_OFF = fail(
  'aborted',
  'The tab that was running Parley closed while this was being done, and another tab took over. Check whether it went through, then try again.',
);

/** The call's answer, or undefined when its core went first (a dead port never answers). */
function answerOrLost<T>(answer: Promise<T>, lost: Promise<void>): Promise<{ value: T } | undefined> {
  return Promise.race([answer.then((value) => ({ value })), lost.then(() => undefined)]);
}

/**
 * The core's methods over whichever core is current: one object for the tab's whole life while
 * cores come and go (the UI holds on to it). A call made between two cores waits for the next.
 * A call in flight when its core dies:
 *  - a read, or a change that is the same when done twice (rename, settings, stop, delete,
 *    switch branch, import), is asked again of the next core;
 *  - a change that would happen twice (send, edit, resume, regenerate, create, add a provider)
 *    answers `aborted`: it may or may not have happened, and the person checks, rather
 *    than get two of it;
 *  - session calls go only to the core of now: the next one gets every open session again from
 *    the connection itself, each with its snapshot.
 */
export class ReconnectingApi implements CoreApi {
  readonly #source: ConnectionSource;

  constructor(source: ConnectionSource) {
    this.#source = source;
  }

  async #again<T>(call: (api: CoreApi) => Promise<T>): Promise<T> {
    for (;;) {
      const connection = await this.#source.next();
      const answer = await answerOrLost(call(connection.api), connection.lost);
      if (answer) return answer.value;
    }
  }

  async #once<T>(call: (api: CoreApi) => Promise<Result<T>>): Promise<Result<T>> {
    const connection = await this.#source.next();
    const answer = await answerOrLost(call(connection.api), connection.lost);
    return answer ? answer.value : CUT_OFF;
  }

  async #now(call: (api: CoreApi) => Promise<void>): Promise<void> {
    const connection = this.#source.current();
    if (connection) await answerOrLost(call(connection.api), connection.lost);
  }

  // ── Sessions ───────────────────────────────────────────────

  async openSession(conversationId: string): Promise<void> {
    this.#source.sessions.open(conversationId);
    await this.#now((api) => api.openSession(conversationId));
  }

  async closeSession(conversationId: string): Promise<void> {
    if (this.#source.sessions.close(conversationId)) await this.#now((api) => api.closeSession(conversationId));
  }

  setHidden(hidden: boolean): Promise<void> {
    this.#source.sessions.setHidden(hidden);
    return this.#now((api) => api.setHidden(hidden));
  }

  requestSnapshot(conversationId: string): Promise<void> {
    return this.#now((api) => api.requestSnapshot(conversationId));
  }

  // ── Asked again of the next core ───────────────────────────

  listConversations(limit?: number): Promise<Conversation[]> {
    return this.#again((api) => api.listConversations(limit));
  }

  listMessages(conversationId: string): Promise<Message[]> {
    return this.#again((api) => api.listMessages(conversationId));
  }

  updateConversation(conversationId: string, patch: ConversationPatch): Promise<Result<Conversation>> {
    return this.#again((api) => api.updateConversation(conversationId, patch));
  }

  deleteConversation(conversationId: string): Promise<Result<void>> {
    return this.#again((api) => api.deleteConversation(conversationId));
  }

  deleteMessage(conversationId: string, messageId: string): Promise<Result<void>> {
    return this.#again((api) => api.deleteMessage(conversationId, messageId));
  }

  switchBranch(conversationId: string, messageId: string): Promise<Result<Conversation>> {
    return this.#again((api) => api.switchBranch(conversationId, messageId));
  }

  getAttachment(attachmentId: string): Promise<Blob | undefined> {
    return this.#again((api) => api.getAttachment(attachmentId));
  }

  detectLocalServers(): Promise<LocalServer[]> {
    return this.#again((api) => api.detectLocalServers());
  }

  stopGeneration(conversationId: string): Promise<Result<void>> {
    return this.#again((api) => api.stopGeneration(conversationId));
  }

  listProviders(): Promise<Provider[]> {
    return this.#again((api) => api.listProviders());
  }

  deleteProvider(providerId: string): Promise<Result<void>> {
    return this.#again((api) => api.deleteProvider(providerId));
  }

  testConnection(input: ProviderInput): Promise<Result<ConnectionReport>> {
    return this.#again((api) => api.testConnection(input));
  }

  listModels(providerId: string, options?: { refresh?: boolean }): Promise<Result<Model[]>> {
    return this.#again((api) => api.listModels(providerId, options));
  }

  listAllModels(): Promise<Model[]> {
    return this.#again((api) => api.listAllModels());
  }

  getSettings(): Promise<Settings> {
    return this.#again((api) => api.getSettings());
  }

  updateSettings(patch: Partial<Settings>): Promise<Settings> {
    return this.#again((api) => api.updateSettings(patch));
  }

  storageReport(): Promise<StorageReport> {
    return this.#again((api) => api.storageReport());
  }

  exportData(options: ExportOptions): Promise<Result<string>> {
    return this.#again((api) => api.exportData(options));
  }

  isOffline(): Promise<boolean> {
    return this.#again((api) => api.isOffline());
  }

  search(query: string, options?: SearchOptions): Promise<SearchResults> {
    return this.#again((api) => api.search(query, options));
  }

  /**
   * An import is the same done twice: every record keeps an id made from the file's own, and a
   * stored one is skipped. Asked again of the next core, it writes only what the first did not.
   */
  importFiles(files: Blob[]): Promise<Result<ImportReport>> {
    return this.#again((api) => api.importFiles(files));
  }

  getSyncStatus(): Promise<SyncStatus> {
    return this.#again((api) => api.getSyncStatus());
  }

  syncNow(): Promise<Result<void>> {
    return this.#again((api) => api.syncNow());
  }

  disableSync(): Promise<Result<void>> {
    return this.#again((api) => api.disableSync());
  }

  // ── Never done twice ───────────────────────────────────────

  createConversation(input?: ConversationInput): Promise<Result<Conversation>> {
    return this.#once((api) => api.createConversation(input));
  }

  sendMessage(conversationId: string, content: string, attachments?: NewAttachment[]): Promise<Result<SendReceipt>> {
    return this.#once((api) => api.sendMessage(conversationId, content, attachments));
  }

  editMessage(conversationId: string, messageId: string, content: string): Promise<Result<SendReceipt>> {
    return this.#once((api) => api.editMessage(conversationId, messageId, content));
  }

  resumeGeneration(conversationId: string): Promise<Result<SendReceipt>> {
    return this.#once((api) => api.resumeGeneration(conversationId));
  }

  regenerate(conversationId: string, messageId: string): Promise<Result<SendReceipt>> {
    return this.#once((api) => api.regenerate(conversationId, messageId));
  }

  /** Saving a provider that has an id is the same done twice; a new one would be added twice. */
  saveProvider(input: ProviderInput): Promise<Result<Provider>> {
    return input.id ? this.#again((api) => api.saveProvider(input)) : this.#once((api) => api.saveProvider(input));
  }

  /** Turning sync on writes the server's key document and the login: not twice. */
  enableSync(setup: SyncSetup): Promise<Result<SyncStatus>> {
    return this.#once((api) => api.enableSync(setup));
  }
}
