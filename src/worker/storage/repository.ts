/**
 * Every read and write the core makes, one transaction per logical change. Writes throw a
 * StorageError whose `info` the caller hands to tabs as data.
 */
import type { Conversation, Message, Model, Provider, Settings } from '../../shared/protocol';
import { defaultSettings } from '../../shared/settings';
import { readDataSet, writeDataSet, type DataSet, type WriteOptions, type WriteOutcome } from './data-set';
import { openDatabase, type OpenDatabaseOptions, type ParleyDatabase } from './database';
import { deleteAttachmentsOf, deleteConversationAttachments } from './attachments';
import { DEFAULT_DATABASE_NAME, messagesOf, SETTINGS_KEY, type AttachmentRow } from './schema';
import {
  applyChange,
  checkpointMessage,
  finishRun,
  markStreamingInterrupted,
  startRun,
  type ConversationChange,
  type RunTotals,
} from './run-writes';
import { SyncStorage } from './sync-storage';
import { readStores, writeStores } from './transactions';

/** What to delete, decided from a conversation's messages as they are stored at that moment. */
export type DeletionPlan = (messages: Message[]) => { ids: string[]; change: ConversationChange } | undefined;

/** What a deletion removed, and the conversation as it became (undefined if it is gone). */
export interface Deleted {
  ids: string[];
  conversation: Conversation | undefined;
}

/** Every key `[providerId, modelId]` of one provider: arrays sort after every string. */
function modelsOf(providerId: string): IDBKeyRange {
  return IDBKeyRange.bound([providerId], [providerId, []]);
}

export class Repository {
  readonly #database: ParleyDatabase;
  #syncStorage: SyncStorage | undefined;

  private constructor(database: ParleyDatabase) {
    this.#database = database;
  }

  /** Opens (and upgrades) the database. Throws a StorageError when it cannot. */
  static async open(name: string = DEFAULT_DATABASE_NAME, options: OpenDatabaseOptions = {}): Promise<Repository> {
    return new Repository(await openDatabase(name, options));
  }

  close(): void {
    this.#database.close();
  }

  // ── Providers and models ──────────────────────────────────

  async listProviders(): Promise<Provider[]> {
    const providers = await readStores(() => this.#database.getAll('providers'));
    return providers.sort((first, second) => first.createdAt - second.createdAt);
  }

  async getProvider(id: string): Promise<Provider | undefined> {
    return readStores(() => this.#database.get('providers', id));
  }

  async putProvider(provider: Provider): Promise<void> {
    await writeStores(this.#database, ['providers'], async (transaction) => {
      await transaction.objectStore('providers').put(provider);
    });
  }

  /** Its stored models go with it: they are useless without the provider. */
  async deleteProvider(id: string): Promise<void> {
    await writeStores(this.#database, ['providers', 'models'], async (transaction) => {
      await transaction.objectStore('providers').delete(id);
      await transaction.objectStore('models').delete(modelsOf(id));
    });
  }

  async listModels(providerId: string): Promise<Model[]> {
    const models = await readStores(() => this.#database.getAllFromIndex('models', 'providerId', providerId));
    return models.sort((first, second) => first.name.localeCompare(second.name));
  }

  async listAllModels(): Promise<Model[]> {
    return readStores(() => this.#database.getAll('models'));
  }

  /** A fresh list replaces the old one whole, so models the provider dropped disappear. */
  async replaceModels(providerId: string, models: Model[]): Promise<void> {
    await writeStores(this.#database, ['models'], async (transaction) => {
      const store = transaction.objectStore('models');
      await store.delete(modelsOf(providerId));
      for (const model of models) await store.put({ ...model, providerId });
    });
  }

  // ── Conversations ─────────────────────────────────────────

  /** Newest first; with a `limit`, the newest `limit` only (what a first screen shows). */
  async listConversations(limit?: number): Promise<Conversation[]> {
    if (limit !== undefined) {
      return readStores(async () => {
        const newest: Conversation[] = [];
        let cursor = await this.#database.transaction('conversations').store.index('updatedAt').openCursor(null, 'prev');
        while (cursor && newest.length < limit) {
          newest.push(cursor.value);
          cursor = await cursor.continue();
        }
        return newest;
      });
    }
    // One request, not a cursor step per row: the whole list is read in one go (bench/).
    const oldestFirst = await readStores(() => this.#database.getAllFromIndex('conversations', 'updatedAt'));
    return oldestFirst.reverse();
  }

  async getConversation(id: string): Promise<Conversation | undefined> {
    return readStores(() => this.#database.get('conversations', id));
  }

  async putConversation(conversation: Conversation): Promise<void> {
    await writeStores(this.#database, ['conversations'], async (transaction) => {
      await transaction.objectStore('conversations').put(conversation);
    });
  }

  /**
   * Change a conversation as it is stored at this moment, in one transaction: changes made
   * meanwhile (another tab's rename, a branch switch) are never overwritten by a stale copy.
   * Resolves undefined, writing nothing, when the conversation is gone.
   */
  async updateConversation(id: string, change: ConversationChange): Promise<Conversation | undefined> {
    return writeStores(this.#database, ['conversations'], (transaction) => applyChange(transaction, id, change));
  }

  /** The conversation, its messages and their files, together. */
  async deleteConversation(id: string): Promise<void> {
    await writeStores(this.#database, ['conversations', 'messages', 'attachments'], async (transaction) => {
      await transaction.objectStore('conversations').delete(id);
      const index = transaction.objectStore('messages').index('conversation');
      for (let cursor = await index.openCursor(messagesOf(id)); cursor; cursor = await cursor.continue()) {
        await cursor.delete();
      }
      await deleteConversationAttachments(transaction, id);
    });
  }

  // ── Messages ──────────────────────────────────────────────

  /** Every message of the conversation, every branch, oldest first. */
  async listMessages(conversationId: string): Promise<Message[]> {
    return readStores(() => this.#database.getAllFromIndex('messages', 'conversation', messagesOf(conversationId)));
  }

  async getMessage(id: string): Promise<Message | undefined> {
    return readStores(() => this.#database.get('messages', id));
  }

  /** The messages with these ids that still exist, in one read (search results). */
  async getMessages(ids: string[]): Promise<Message[]> {
    return readStores(async () => {
      const store = this.#database.transaction('messages').store;
      const found = await Promise.all(ids.map((id) => store.get(id)));
      return found.filter((message): message is Message => message !== undefined);
    });
  }

  /** The conversations with these ids that still exist, in one read. */
  async getConversations(ids: string[]): Promise<Conversation[]> {
    return readStores(async () => {
      const store = this.#database.transaction('conversations').store;
      const found = await Promise.all(ids.map((id) => store.get(id)));
      return found.filter((conversation): conversation is Conversation => conversation !== undefined);
    });
  }

  /** Every message of several conversations, in one read (the search index loads them in chunks). */
  async listMessagesOf(conversationIds: string[]): Promise<Message[][]> {
    return readStores(async () => {
      const index = this.#database.transaction('messages').store.index('conversation');
      return Promise.all(conversationIds.map((id) => index.getAll(messagesOf(id))));
    });
  }

  /** Every conversation id, newest activity first, without reading the rows. */
  async listConversationIds(): Promise<string[]> {
    const keys = await readStores(() => this.#database.getAllKeysFromIndex('conversations', 'updatedAt'));
    return keys.reverse();
  }

  async countMessages(): Promise<number> {
    return readStores(() => this.#database.count('messages'));
  }

  async putMessage(message: Message): Promise<void> {
    await writeStores(this.#database, ['messages'], async (transaction) => {
      await transaction.objectStore('messages').put(message);
    });
  }

  /**
   * Deletes messages (a subtree) with their files, and changes their conversation (its shown
   * branch, its totals), together — `plan` decides what from the conversation's messages as
   * stored inside the same transaction, so a message written meanwhile is never left without its
   * parent. Resolves undefined, writing nothing, when `plan` does.
   */
  async deleteMessages(conversationId: string, plan: DeletionPlan): Promise<Deleted | undefined> {
    return writeStores(this.#database, ['conversations', 'messages', 'attachments'], async (transaction) => {
      const messages = transaction.objectStore('messages');
      const decided = plan(await messages.index('conversation').getAll(messagesOf(conversationId)));
      if (!decided) return undefined;
      for (const id of decided.ids) await messages.delete(id);
      await deleteAttachmentsOf(transaction, decided.ids);
      return { ids: decided.ids, conversation: await applyChange(transaction, conversationId, decided.change) };
    });
  }

  /** One attached file, as stored. */
  async getAttachment(id: string): Promise<AttachmentRow | undefined> {
    return readStores(() => this.#database.get('attachments', id));
  }

  // ── Runs (storage/run-writes.ts) ─────────────────────────

  startRun(
    conversationId: string,
    change: ConversationChange,
    messages: Message[],
    attachments: AttachmentRow[] = [],
  ): Promise<Conversation | undefined> {
    return startRun(this.#database, conversationId, change, messages, attachments);
  }

  checkpointMessage(id: string, content: string, reasoning: string | undefined, updatedAt: number): Promise<boolean> {
    return checkpointMessage(this.#database, id, content, reasoning, updatedAt);
  }

  finishRun(message: Message, totals: RunTotals): Promise<Conversation | undefined> {
    return finishRun(this.#database, message, totals);
  }

  markStreamingInterrupted(now: number, isLive: (message: Message) => boolean = () => false): Promise<Message[]> {
    return markStreamingInterrupted(this.#database, now, isLive);
  }

  // ── Settings ──────────────────────────────────────────────

  /** Defaults fill whatever an older build never stored. */
  async getSettings(): Promise<Settings> {
    const row = await readStores(() => this.#database.get('settings', SETTINGS_KEY));
    const { key: _key, ...stored } = row ?? { key: SETTINGS_KEY };
    return { ...defaultSettings(), ...stored };
  }

  async putSettings(settings: Settings): Promise<void> {
    await writeStores(this.#database, ['settings'], async (transaction) => {
      await transaction.objectStore('settings').put({ ...settings, key: SETTINGS_KEY });
    });
  }

  /** What sync reads and writes here (its config, and merged batches from other devices). */
  syncStorage(): SyncStorage {
    return (this.#syncStorage ??= new SyncStorage(this.#database));
  }

  // ── Export and import ─────────────────────────────────

  /** Every record, from one read transaction (for an export). */
  async readEverything(): Promise<DataSet> {
    return readDataSet(this.#database);
  }

  /** See `writeDataSet`: one transaction, existing ids skipped, never overwritten. */
  async importDataSet(data: DataSet, options: WriteOptions = {}): Promise<WriteOutcome> {
    return writeDataSet(this.#database, data, options);
  }
}
