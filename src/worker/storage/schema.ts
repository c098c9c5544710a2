/**
 * The database's shape at each version and the steps between them. Every step is gated on
 * `oldVersion`, so a fresh install runs them all and an old database runs only what it lacks.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction } from 'idb';
import type { AttachmentRef, Conversation, Message, MessageStatus, Model, Provider, Settings } from '../../shared/protocol';
import { linkInOrder } from '../../shared/tree';
import {
  convertLegacyConversation,
  convertLegacyProvider,
  withUniqueMessageIds,
  type LLMConversation,
  type LLMProviderInstance,
} from './legacy';

export const DB_VERSION = 5;
export const DEFAULT_DATABASE_NAME = 'parley';
export const SETTINGS_KEY = 'settings';

/** A conversation's messages on the `conversation` index (`[conversationId, createdAt]`), oldest first. */
export function messagesOf(conversationId: string): IDBKeyRange {
  return IDBKeyRange.bound([conversationId, -Infinity], [conversationId, Infinity]);
}

export interface SettingsRow extends Settings {
  key: typeof SETTINGS_KEY;
}

export const SYNC_KEY = 'sync';

/**
 * How this device syncs, while sync is on: the server and its login, how the keys were derived,
 * the keys themselves (non-extractable CryptoKeys: IndexedDB stores them, nobody can read their
 * bytes), and how far the local mirror's changes have been applied. Never exported or synced.
 */
export interface SyncConfigRow {
  key: typeof SYNC_KEY;
  url: string;
  username: string;
  password: string;
  derivation: { salt: string; iterations: number };
  keys: { encryption: CryptoKey; naming: CryptoKey };
  /** The PouchDB database that mirrors the server on this device. */
  mirrorName: string;
  /** The mirror's change sequence applied to Parley's own stores so far. */
  appliedSeq: string | number;
  /** When the settings were last sent or taken (the newer side wins). */
  settingsAt: number;
  lastSyncedAt?: number;
}

/** A stored attachment: the file itself, and whose it is. Messages hold only its `AttachmentRef`. */
export interface AttachmentRow extends AttachmentRef {
  conversationId: string;
  messageId: string;
  blob: Blob;
}

/**
 * Version 5, the current shape: version 3's stores (messages linked into trees), the files
 * attached to messages (4) and how this device syncs (5).
 */
export interface ParleySchema extends DBSchema {
  providers: { key: string; value: Provider };
  models: { key: [string, string]; value: Model; indexes: { providerId: string } };
  conversations: { key: string; value: Conversation; indexes: { updatedAt: number } };
  messages: {
    key: string;
    value: Message;
    indexes: { conversation: [string, number]; status: MessageStatus };
  };
  settings: { key: typeof SETTINGS_KEY; value: SettingsRow };
  attachments: { key: string; value: AttachmentRow; indexes: { message: string; conversation: string } };
  sync: { key: typeof SYNC_KEY; value: SyncConfigRow };
}

/** Version 1, the seed's shape: whole conversations with their messages embedded. */
export interface LegacySchema extends DBSchema {
  conversations: { key: string; value: LLMConversation };
  providerInstances: { key: string; value: LLMProviderInstance };
}

// An upgrade passes through several shapes, so the steps work on the untyped database and
// name each store's type where they read or write it.
type UpgradeDatabase = IDBPDatabase<unknown>;
type UpgradeTransaction = IDBPTransaction<unknown, string[], 'versionchange'>;

function upgradeToVersion1(database: UpgradeDatabase): void {
  database.createObjectStore('conversations', { keyPath: 'id' });
  database.createObjectStore('providerInstances', { keyPath: 'id' });
}

/**
 * 1. Create the stores whose names are new.
 * 2. Read every legacy row (the legacy `conversations` store must go before its replacement,
 *    which reuses the name, can be created).
 * 3. Swap the legacy stores for the new ones and write the converted rows.
 * All of it runs in the versionchange transaction: if any part fails the database stays at
 * version 1 with every message where it was.
 */
async function upgradeToVersion2(database: UpgradeDatabase, transaction: UpgradeTransaction, now: number): Promise<void> {
  const providers = database.createObjectStore('providers', { keyPath: 'id' });
  const models = database.createObjectStore('models', { keyPath: ['providerId', 'id'] });
  models.createIndex('providerId', 'providerId');
  const messages = database.createObjectStore('messages', { keyPath: 'id' });
  messages.createIndex('conversation', ['conversationId', 'createdAt']);
  messages.createIndex('status', 'status');
  database.createObjectStore('settings', { keyPath: 'key' });

  const legacyConversations: LLMConversation[] = await transaction.objectStore('conversations').getAll();
  const legacyProviders: LLMProviderInstance[] = await transaction.objectStore('providerInstances').getAll();
  database.deleteObjectStore('conversations');
  database.deleteObjectStore('providerInstances');
  const conversations = database.createObjectStore('conversations', { keyPath: 'id' });
  conversations.createIndex('updatedAt', 'updatedAt');

  // One request at a time: a request that throws synchronously (a bad key) must not leave
  // earlier ones to reject unobserved when the transaction aborts.
  const messageIds = new Set<string>();
  for (const legacy of legacyConversations) {
    const converted = convertLegacyConversation(legacy);
    const unique = withUniqueMessageIds({ conversations: [converted.conversation], messages: converted.messages }, messageIds);
    await conversations.put(unique.conversations[0]);
    for (const message of unique.messages) await messages.put(message);
  }
  for (const instance of legacyProviders) {
    const converted = convertLegacyProvider(instance, now);
    await providers.put(converted.provider);
    for (const model of converted.models) await models.put(model);
  }
}

/**
 * Version 3 makes every conversation a tree. A v2 conversation was one flat list, read in the
 * `conversation` index's order ([conversationId, createdAt], ties by id): each message's parent
 * becomes the one before it in that order, and the last one is the leaf shown. Nothing else
 * changes, so every message and every field survives.
 */
async function upgradeToVersion3(transaction: UpgradeTransaction): Promise<void> {
  const conversations = transaction.objectStore('conversations');
  const messages = transaction.objectStore('messages');
  const byConversation = messages.index('conversation');
  for (let cursor = await conversations.openCursor(); cursor; cursor = await cursor.continue()) {
    const conversation = cursor.value as Conversation;
    const range = IDBKeyRange.bound([conversation.id, -Infinity], [conversation.id, Infinity]);
    const ordered = (await byConversation.getAll(range)) as Message[];
    const leaf = linkInOrder(ordered);
    for (const message of ordered) await messages.put(message);
    await cursor.update({ ...conversation, activeLeafId: leaf });
  }
}

/** Version 4 adds the attachments store: new rows only, nothing existing changes. */
function upgradeToVersion4(database: UpgradeDatabase): void {
  const attachments = database.createObjectStore('attachments', { keyPath: 'id' });
  attachments.createIndex('message', 'messageId');
  attachments.createIndex('conversation', 'conversationId');
}

/** Version 5 adds the sync store (one row while sync is on): new rows only, nothing existing changes. */
function upgradeToVersion5(database: UpgradeDatabase): void {
  database.createObjectStore('sync', { keyPath: 'key' });
}

/**
 * Runs every step the database lacks. `now` is read once by the caller so every row an upgrade
 * creates carries the same time.
 */
export async function upgradeDatabase(
  database: UpgradeDatabase,
  oldVersion: number,
  transaction: UpgradeTransaction,
  now: number,
): Promise<void> {
  if (oldVersion < 1) upgradeToVersion1(database);
  if (oldVersion < 2) await upgradeToVersion2(database, transaction, now);
  if (oldVersion < 3) await upgradeToVersion3(transaction);
  if (oldVersion < 4) upgradeToVersion4(database);
  if (oldVersion < 5) upgradeToVersion5(database);
}
