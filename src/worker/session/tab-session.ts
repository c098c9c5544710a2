import type {
  AttachInfo,
  AttachOptions,
  ChatCoreApi,
  ConnectionReport,
  Conversation,
  ConversationInput,
  ConversationPatch,
  EventPort,
  ExportOptions,
  ImportReport,
  LocalServer,
  Message,
  NewAttachment,
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
} from '../../shared/protocol';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { fail, ok } from '../../shared/result';
import type { Core } from '../core';
import { whenTabGone } from '../lifecycle/tab-liveness';
import { detectLocalServers } from '../providers/local-servers';
import { storageReport } from '../storage/storage-report';
import { TabFeed } from './tab-feed';

/**
 * The core as one tab sees it: exposed on that tab's port. It tracks which conversations the
 * tab has open (each holds one session reference) and forwards the events meant for it.
 *
 * Lifecycle:
 *  1. `attach` — versions checked; the worker starts waiting on the tab's Web Lock.
 *  2. `subscribe` — events flow: broadcasts always, message traffic only for open conversations.
 *  3. `openSession`/`closeSession` as the tab navigates.
 *  4. `detach`, or the lock is granted (the tab died) → every reference and the listener dropped.
 */
export class TabSession implements ChatCoreApi {
  readonly #core: Promise<Core>;
  /** The events this tab gets, and the conversations it has open. */
  readonly #feed = new TabFeed();
  /** Session calls run one after another, in the order the tab made them (`#inOrder`). */
  #sessionCalls: Promise<unknown> = Promise.resolve();
  #disposed = false;
  /** Set once the tab is gone; tests await it. */
  readonly disposed: Promise<void>;
  #resolveDisposed!: () => void;

  constructor(core: Promise<Core>) {
    this.#core = core;
    this.disposed = new Promise((resolve) => (this.#resolveDisposed = resolve));
  }

  async attach(options: AttachOptions): Promise<Result<AttachInfo>> {
    const core = await this.#core;
    if (options.protocolVersion !== PROTOCOL_VERSION) {
      return fail('config', 'This tab runs a different version of Parley than the one already open. Reload the tab.');
    }
    if (core.options.locks && options.lockName) {
      void whenTabGone(core.options.locks, options.lockName).then(() => this.#dispose());
    }
    // A tab opening (or reloading) is when a person looks: make "offline" current.
    void core.connectivity.check();
    return ok({ buildId: core.options.buildId, protocolVersion: PROTOCOL_VERSION });
  }

  async subscribe(events: EventPort): Promise<void> {
    const core = await this.#core;
    if (this.#disposed) {
      events.close();
      return;
    }
    this.#feed.connect(core.bus, events);
  }

  async detach(): Promise<void> {
    await this.#dispose();
  }

  async #dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const core = await this.#core;
    for (const conversationId of this.#feed.end()) core.sessions.release(conversationId);
    this.#resolveDisposed();
  }

  // ── Sessions ───────────────────────────────────────────────

  /**
   * Opening waits on a read (the abandoned replies), so a close made right after an open would
   * otherwise overtake it and leave the session open for good.
   */
  #inOrder(call: () => Promise<void>): Promise<void> {
    const result = this.#sessionCalls.then(call);
    this.#sessionCalls = result.catch(() => undefined);
    return result;
  }

  openSession(conversationId: string): Promise<void> {
    return this.#inOrder(async () => {
      const core = await this.#core;
      // A reply the core that died left unfinished: this tab may show more of it than was saved.
      const abandoned = await core.abandoned.of(conversationId);
      if (this.#disposed) return;
      // From here on this tab gets the conversation's deltas; the snapshot covers all before (and
      // comes after the saved rows: a reply resumed meanwhile shows as its run has it).
      if (this.#feed.open(conversationId)) core.sessions.retain(conversationId);
      for (const message of abandoned) this.#feed.post({ type: 'message-upsert', conversationId, message });
      this.#sendSnapshot(core, conversationId);
    });
  }

  closeSession(conversationId: string): Promise<void> {
    return this.#inOrder(async () => {
      const core = await this.#core;
      if (this.#feed.close(conversationId)) core.sessions.release(conversationId);
    });
  }

  requestSnapshot(conversationId: string): Promise<void> {
    return this.#inOrder(async () => {
      const core = await this.#core;
      if (this.#feed.isOpen(conversationId)) this.#sendSnapshot(core, conversationId);
    });
  }

  /**
   * A hidden tab gets no deltas; shown again, it gets a snapshot of each open conversation,
   * posted in one synchronous step: they go out before any delta that follows them, so the
   * tab's sequence numbers go on from each snapshot's.
   */
  setHidden(hidden: boolean): Promise<void> {
    return this.#inOrder(async () => {
      const core = await this.#core;
      if (!this.#feed.setHidden(hidden)) return;
      for (const conversationId of this.#feed.openConversations()) this.#sendSnapshot(core, conversationId);
    });
  }

  #sendSnapshot(core: Core, conversationId: string): void {
    const session = core.sessions.state(conversationId);
    if (session) this.#feed.post({ type: 'session-snapshot', session });
  }

  // ── Conversations and messages ─────────────────────────────

  async listConversations(limit?: number): Promise<Conversation[]> {
    return (await this.#core).repository.listConversations(limit);
  }

  async listMessages(conversationId: string): Promise<Message[]> {
    return (await this.#core).repository.listMessages(conversationId);
  }

  async createConversation(input?: ConversationInput): Promise<Result<Conversation>> {
    return (await this.#core).conversations.create(input);
  }

  async updateConversation(conversationId: string, patch: ConversationPatch): Promise<Result<Conversation>> {
    return (await this.#core).conversations.update(conversationId, patch);
  }

  async deleteConversation(conversationId: string): Promise<Result<void>> {
    return (await this.#core).conversations.delete(conversationId);
  }

  async deleteMessage(conversationId: string, messageId: string): Promise<Result<void>> {
    return (await this.#core).conversations.deleteMessage(conversationId, messageId);
  }

  async switchBranch(conversationId: string, messageId: string): Promise<Result<Conversation>> {
    return (await this.#core).conversations.switchBranch(conversationId, messageId);
  }

  async sendMessage(conversationId: string, content: string, attachments?: NewAttachment[]): Promise<Result<SendReceipt>> {
    return (await this.#core).runs.send(conversationId, content, attachments);
  }

  async getAttachment(attachmentId: string): Promise<Blob | undefined> {
    return (await (await this.#core).repository.getAttachment(attachmentId))?.blob;
  }

  async editMessage(conversationId: string, messageId: string, content: string): Promise<Result<SendReceipt>> {
    return (await this.#core).runs.edit(conversationId, messageId, content);
  }

  async stopGeneration(conversationId: string): Promise<Result<void>> {
    return (await this.#core).runs.stop(conversationId);
  }

  async resumeGeneration(conversationId: string): Promise<Result<SendReceipt>> {
    return (await this.#core).runs.resume(conversationId);
  }

  async regenerate(conversationId: string, messageId: string): Promise<Result<SendReceipt>> {
    return (await this.#core).runs.regenerate(conversationId, messageId);
  }

  // ── Providers, models, settings ────────────────────────────

  async listProviders(): Promise<Provider[]> {
    return (await this.#core).catalog.listProviders();
  }

  async saveProvider(input: ProviderInput): Promise<Result<Provider>> {
    return (await this.#core).catalog.saveProvider(input);
  }

  async deleteProvider(providerId: string): Promise<Result<void>> {
    return (await this.#core).catalog.deleteProvider(providerId);
  }

  async testConnection(input: ProviderInput): Promise<Result<ConnectionReport>> {
    return (await this.#core).catalog.testConnection(input);
  }

  async detectLocalServers(): Promise<LocalServer[]> {
    return detectLocalServers((await this.#core).options.localServers);
  }

  async listModels(providerId: string, options?: { refresh?: boolean }): Promise<Result<Model[]>> {
    return (await this.#core).catalog.listModels(providerId, options);
  }

  async listAllModels(): Promise<Model[]> {
    return (await this.#core).catalog.listAllModels();
  }

  async getSettings(): Promise<Settings> {
    return (await this.#core).catalog.settings();
  }

  async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    return (await this.#core).catalog.updateSettings(patch);
  }

  async isOffline(): Promise<boolean> {
    return (await this.#core).connectivity.offline;
  }

  async exportData(options: ExportOptions): Promise<Result<string>> {
    return (await (await this.#core).dataTransfer()).export(options);
  }

  async importFiles(files: Blob[]): Promise<Result<ImportReport>> {
    // Progress goes to this tab only: the tab that chose the files shows the bar.
    return (await (await this.#core).dataTransfer()).importFiles(files, (phase, done, total) =>
      this.#feed.post({ type: 'import-progress', phase, done, total }),
    );
  }

  async search(query: string, options?: SearchOptions): Promise<SearchResults> {
    return (await this.#core).search.search(query, options);
  }

  storageReport(): Promise<StorageReport> {
    return storageReport();
  }

  // ── Sync ───────────────────────────────────────────────────

  async getSyncStatus(): Promise<SyncStatus> {
    return (await this.#core).sync.status();
  }

  async enableSync(setup: SyncSetup): Promise<Result<SyncStatus>> {
    return (await this.#core).sync.enable(setup);
  }

  async syncNow(): Promise<Result<void>> {
    return (await this.#core).sync.syncNow();
  }

  async disableSync(): Promise<Result<void>> {
    return (await this.#core).sync.disable();
  }
}
