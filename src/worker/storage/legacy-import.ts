/**
 * Importing a file exported by the seed. It is the same conversion the 1→2 upgrade runs, so an
 * imported conversation is indistinguishable from an upgraded one.
 */
import type { Result } from '../../shared/protocol';
import type { ParleyDatabase } from './database';
import { toStorageError } from './errors';
import { convertLegacyConversation, convertLegacyProvider, withUniqueMessageIds } from './legacy';
import { parseLegacyExport } from './legacy-validation';
import { writeStores } from './transactions';

/** What was written; conversations and providers whose id already existed are not counted. */
export interface ImportReport {
  conversations: number;
  messages: number;
  providers: number;
}

/**
 * 1. Check the whole file; the first problem rejects it (kind `config`) before any write.
 * 2. Write everything in one transaction. A conversation or provider whose id is already stored
 *    is skipped, never overwritten: the stored one may have moved on since the export.
 */
export async function importLegacyData(database: ParleyDatabase, data: unknown, now: number): Promise<Result<ImportReport>> {
  const parsed = parseLegacyExport(data);
  if (!parsed.ok) return parsed;
  const { conversations: legacyConversations, providers: legacyProviders } = parsed.value;
  try {
    const report = await writeStores(
      database,
      ['conversations', 'messages', 'providers', 'models'],
      async (transaction): Promise<ImportReport> => {
        const report: ImportReport = { conversations: 0, messages: 0, providers: 0 };
        const conversations = transaction.objectStore('conversations');
        const messages = transaction.objectStore('messages');
        // Ids only (no message bodies), so that a clashing legacy message id gets a new one.
        const messageIds = new Set(await messages.getAllKeys());
        for (const legacy of legacyConversations) {
          if ((await conversations.getKey(legacy.id)) !== undefined) continue;
          const converted = convertLegacyConversation(legacy);
          await conversations.put(converted.conversation);
          for (const message of withUniqueMessageIds(converted.messages, messageIds)) await messages.put(message);
          report.conversations += 1;
          report.messages += converted.messages.length;
        }
        const providers = transaction.objectStore('providers');
        const models = transaction.objectStore('models');
        for (const instance of legacyProviders) {
          if ((await providers.getKey(instance.id)) !== undefined) continue;
          const converted = convertLegacyProvider(instance, now);
          await providers.put(converted.provider);
          for (const model of converted.models) await models.put(model);
          report.providers += 1;
        }
        return report;
      },
    );
    return { ok: true, value: report };
  } catch (error) {
    return { ok: false, error: toStorageError(error) };
  }
}
