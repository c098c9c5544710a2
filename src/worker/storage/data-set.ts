/**
 * Everything Parley stores, read or written as one set: the export's snapshot and the import's
 * single transaction.
 */
import type { Conversation, ImportReport, Message, Model, Provider, Settings } from '../../shared/protocol';
import { defaultSettings, RECENT_MODELS_LIMIT } from '../../shared/settings';
import type { ParleyDatabase } from './database';
import { extendConversation, type Extended } from './import-merge';
import { withUniqueMessageIds } from './legacy';
import { SETTINGS_KEY, type AttachmentRow, type SettingsRow } from './schema';
import { readStores, writeStores } from './transactions';

/** Every record of every store. Messages are ordered by conversation, then time. */
export interface DataSet {
  providers: Provider[];
  models: Model[];
  conversations: Conversation[];
  messages: Message[];
  /** The files attached to messages, with their data. */
  attachments: AttachmentRow[];
  /** Absent when nothing was ever saved. */
  settings?: Settings;
}

/** One read transaction over every store, so an export never mixes two moments. */
export async function readDataSet(database: ParleyDatabase): Promise<DataSet> {
  return readStores(async () => {
    const transaction = database.transaction(['providers', 'models', 'conversations', 'messages', 'attachments', 'settings']);
    const providers = await transaction.objectStore('providers').getAll();
    const models = await transaction.objectStore('models').getAll();
    const conversations = await transaction.objectStore('conversations').getAll();
    const messages = await transaction.objectStore('messages').index('conversation').getAll();
    const attachments = await transaction.objectStore('attachments').getAll();
    const row = await transaction.objectStore('settings').get(SETTINGS_KEY);
    await transaction.done;
    const data: DataSet = { providers, models, conversations, messages, attachments };
    if (row) {
      const { key: _key, ...settings } = row;
      data.settings = settings;
    }
    return data;
  });
}

/**
 * The file's settings fill only what is unset here: an import adds to this browser's Parley, it
 * does not take over its preferences.
 */
function mergeSettings(current: SettingsRow | undefined, incoming: Settings, providerIds: Set<string>): SettingsRow | undefined {
  const base: SettingsRow = current ?? { key: SETTINGS_KEY, ...defaultSettings() };
  const next: SettingsRow = { ...base, recentModels: [...base.recentModels] };
  if (!base.activeProviderId && incoming.activeProviderId && providerIds.has(incoming.activeProviderId)) {
    next.activeProviderId = incoming.activeProviderId;
    next.activeModelId = incoming.activeModelId;
  }
  for (const entry of incoming.recentModels) {
    if (next.recentModels.length >= RECENT_MODELS_LIMIT) break;
    if (!next.recentModels.includes(entry)) next.recentModels.push(entry);
  }
  const changed = next.activeProviderId !== base.activeProviderId || next.recentModels.length !== base.recentModels.length;
  return changed ? next : undefined;
}

/** How many records a write added, and how many it left out because they were already here. */
export type WriteCounts = Pick<ImportReport, 'conversations' | 'messages' | 'providers' | 'skipped' | 'updated'>;

/** What `writeDataSet` added, and the ids of the conversations and providers it added. */
export interface WriteOutcome {
  report: WriteCounts;
  conversationIds: string[];
  /** Conversations held here before, and the messages a newer export added to them. */
  extended: Extended[];
  providerIds: string[];
  settingsChanged: boolean;
}

/**
 * Writes a checked data set in ONE transaction: a failure (a full disk) writes nothing.
 * A record whose id is already stored is left out, never overwritten — the stored one may have
 * moved on since the export. Left out with it: a skipped provider's models. A conversation held
 * here already gets only what a newer export of it added (`extendConversation`). `skipped`
 * counts conversations, messages and providers left out.
 */
export interface WriteOptions {
  /**
   * Give a message whose id is taken by another conversation a new id instead of skipping it:
   * the seed's message ids were unique only within their conversation.
   */
  renameTakenMessageIds?: boolean;
  /**
   * The file is another client's export, whose ids stay the same from one export to the next:
   * a conversation remembers how far the file went (`importedUntil`), and one held here already
   * gets what a newer export added to it (`extendConversation`) instead of being skipped.
   */
  fromOtherClient?: boolean;
}

/** A write that has added nothing yet. */
export function emptyOutcome(): WriteOutcome {
  return {
    report: { conversations: 0, messages: 0, providers: 0, skipped: 0 },
    conversationIds: [],
    extended: [],
    providerIds: [],
    settingsChanged: false,
  };
}

export async function writeDataSet(database: ParleyDatabase, data: DataSet, options: WriteOptions = {}): Promise<WriteOutcome> {
  return writeStores(
    database,
    ['providers', 'models', 'conversations', 'messages', 'attachments', 'settings'],
    async (transaction) => {
      const outcome = emptyOutcome();
      const providers = transaction.objectStore('providers');
      for (const provider of data.providers) {
        if ((await providers.getKey(provider.id)) !== undefined) {
          outcome.report.skipped += 1;
          continue;
        }
        await providers.put(provider);
        outcome.providerIds.push(provider.id);
        outcome.report.providers += 1;
      }
      const addedProviders = new Set(outcome.providerIds);
      const models = transaction.objectStore('models');
      for (const model of data.models) {
        if (addedProviders.has(model.providerId)) await models.put(model);
      }

      const messages = transaction.objectStore('messages');
      // Ids only (no message bodies), so that a taken id can be replaced.
      const rows = options.renameTakenMessageIds ? withUniqueMessageIds(data, new Set(await messages.getAllKeys())) : data;
      const conversations = transaction.objectStore('conversations');
      const newest = new Map<string, number>();
      for (const message of options.fromOtherClient ? rows.messages : []) {
        newest.set(message.conversationId, Math.max(newest.get(message.conversationId) ?? -Infinity, message.createdAt));
      }
      const skippedConversations = new Set<string>();
      /** Another client's conversations held here already, by id, with the file's messages of each. */
      const heldBefore = new Map<string, { stored: Conversation; imported: Conversation; messages: Message[] }>();
      for (const conversation of rows.conversations) {
        const stored = await conversations.get(conversation.id);
        if (stored && !options.fromOtherClient) {
          outcome.report.skipped += 1;
          skippedConversations.add(conversation.id);
          continue;
        }
        if (stored) {
          heldBefore.set(conversation.id, { stored, imported: conversation, messages: [] });
          continue;
        }
        const until = newest.get(conversation.id);
        await conversations.put(until === undefined ? conversation : { ...conversation, importedUntil: until });
        outcome.conversationIds.push(conversation.id);
        outcome.report.conversations += 1;
      }
      const writtenMessages = new Set<string>();
      for (const message of rows.messages) {
        const before = heldBefore.get(message.conversationId);
        if (before) {
          before.messages.push(message);
          continue;
        }
        if (skippedConversations.has(message.conversationId) || (await messages.getKey(message.id)) !== undefined) {
          outcome.report.skipped += 1;
          continue;
        }
        await messages.put(message);
        writtenMessages.add(message.id);
        outcome.report.messages += 1;
      }
      // Imported before: only what the other client added since (`extendConversation`).
      for (const { stored, imported, messages: incoming } of heldBefore.values()) {
        const extended = await extendConversation(transaction, stored, imported, incoming);
        outcome.report.skipped += incoming.length - (extended?.messages.length ?? 0) + (extended ? 0 : 1);
        if (!extended) continue;
        for (const message of extended.messages) writtenMessages.add(message.id);
        outcome.extended.push(extended);
        outcome.report.messages += extended.added;
        outcome.report.updated = (outcome.report.updated ?? 0) + 1;
      }
      // A file goes in with its message, and only then.
      const attachments = transaction.objectStore('attachments');
      for (const attachment of data.attachments) {
        if (writtenMessages.has(attachment.messageId) && (await attachments.getKey(attachment.id)) === undefined) {
          await attachments.put(attachment);
        }
      }

      if (data.settings) {
        const store = transaction.objectStore('settings');
        // Providers added above are already visible inside this transaction.
        const known = new Set(await providers.getAllKeys());
        const merged = mergeSettings(await store.get(SETTINGS_KEY), data.settings, known);
        if (merged) {
          await store.put(merged);
          outcome.settingsChanged = true;
        }
      }
      return outcome;
    },
  );
}
