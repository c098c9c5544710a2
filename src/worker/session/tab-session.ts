import { filter, type Subscription } from 'rxjs';
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
  #port: EventPort | undefined;
  #subscription: Subscription | undefined;
  /** Conversation id → how many times this tab opened it (two views may show one conversation). */
  readonly #open = new Map<string, number>();
  /** The tab cannot be seen: it gets no deltas, and a snapshot of each open conversation when it can. */
  #hidden = false;
  /** Replies whose deltas this hidden tab did not get: their end comes with their text. */
  readonly #missed = new Set<string>();
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
    this.#subscription?.unsubscribe();
    this.#port?.close();
    this.#port = events;
    // This tab's events: broadcasts, and message traffic of the conversations it has open. A
    // post to a dead tab's port goes nowhere; nothing waits for an answer.
    this.#subscription = core.bus.events$
      .pipe(filter(({ viewersOf }) => viewersOf === undefined || this.#open.has(viewersOf)))
      .subscribe(({ event, ended }) => {
        if (event.type === 'message-delta' && this.#hidden) {
          this.#missed.add(event.messageId);
          return;
        }
        // A reply that ended while the tab was hidden: its text first, so the end finds it whole.
        if (event.type === 'message-end' && ended && this.#missed.delete(ended.id)) {
          events.postMessage({ type: 'message-upsert', conversationId: event.conversationId, message: ended });
        }
        events.postMessage(event);
      });
  }

  async detach(): Promise<void> {
    await this.#dispose();
  }

  async #dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const core = await this.#core;
    this.#subscription?.unsubscribe();
    this.#port?.close();
    this.#port = undefined;
    for (const [conversationId, count] of this.#open) {
      for (let index = 0; index < count; index++) core.sessions.release(conversationId);
    }
    this.#open.clear();
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
      const count = this.#open.get(conversationId) ?? 0;
      if (count === 0) core.sessions.retain(conversationId);
      // From here on this tab gets the conversation's deltas; the snapshot covers all before (and
      // comes after the saved rows: a reply resumed meanwhile shows as its run has it).
      this.#open.set(conversationId, count + 1);
      for (const message of abandoned) this.#port?.postMessage({ type: 'message-upsert', conversationId, message });
      this.#sendSnapshot(core, conversationId);
    });
  }

  closeSession(conversationId: string): Promise<void> {
    return this.#inOrder(async () => {
      const core = await this.#core;
      const count = this.#open.get(conversationId) ?? 0;
      if (count === 0) return;
      if (count > 1) {
        this.#open.set(conversationId, count - 1);
        return;
      }
      this.#open.delete(conversationId);
      core.sessions.release(conversationId);
    });
  }

  requestSnapshot(conversationId: string): Promise<void> {
    return this.#inOrder(async () => {
      const core = await this.#core;
      if (this.#open.has(conversationId)) this.#sendSnapshot(core, conversationId);
    });
  }

  /**
   * Posted in one synchronous step: the snapshots go out before any delta that follows them, so
   * the tab's sequence numbers go on from each snapshot's.
   */
  setHidden(hidden: boolean): Promise<void> {
    return this.#inOrder(async () => {
      const core = await this.#core;
      if (this.#hidden === hidden) return;
      this.#hidden = hidden;
      if (hidden) return;
      // Each snapshot holds the text of the reply it streams: nothing is missed any more.
      this.#missed.clear();
      for (const conversationId of this.#open.keys()) this.#sendSnapshot(core, conversationId);
    });
  }

  #sendSnapshot(core: Core, conversationId: string): void {
    const session = core.sessions.state(conversationId);
    if (session) this.#port?.postMessage({ type: 'session-snapshot', session });
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
    const core = await this.#core;
    return detectLocalServers(core.options.localServers);
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
      this.#port?.postMessage({ type: 'import-progress', phase, done, total }),
    );
  }

  async search(query: string, options?: SearchOptions): Promise<SearchResults> {
    return (await this.#core).search.search(query, options);
  }

  async storageReport(): Promise<StorageReport> {
    const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
    if (!storage?.estimate) return { usage: 0, quota: 0, persisted: false };
    const [estimate, persisted] = await Promise.all([storage.estimate(), storage.persisted?.() ?? false]);
    return { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted };
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
