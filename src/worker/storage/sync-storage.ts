/**
 * What sync reads from and writes to Parley's own stores. IndexedDB stays the truth: records
 * arriving from other devices are merged in batches, one transaction each, by one rule — the
 * newer `updatedAt` wins, a reply still streaming here is never overwritten — and a touched
 * conversation's totals are recomputed from its messages, never merged.
 */
import { canonical } from '../../shared/canonical';
import { mergeConversations } from '../../shared/conversation-edits';
import { totalsOf } from '../../shared/pricing';
import type { Conversation, Message, Provider } from '../../shared/protocol';
import type { ParleyDatabase } from './database';
import { messagesOf, SYNC_KEY, type AttachmentRow, type SyncConfigRow } from './schema';
import { readStores, writeStores } from './transactions';

/** A record from another device, decrypted. */
export type IncomingRecord =
  | { kind: 'conversation'; record: Conversation }
  | { kind: 'message'; record: Message }
  | { kind: 'attachment'; record: AttachmentRow }
  | { kind: 'provider'; record: Provider }
  | { kind: 'deleted'; target: 'conversation' | 'message' | 'attachment' | 'provider'; id: string; conversationId?: string };

/** What a batch changed here, for the tabs; and what was newer here, for sending back. */
export interface AppliedBatch {
  conversations: Conversation[];
  deletedConversations: { id: string; messageIds: string[] }[];
  messages: Message[];
  deletedMessages: { conversationId: string; ids: string[] }[];
  providersChanged: boolean;
  /** Records newer here than what arrived: the other side should get ours. */
  newerHere: { kind: 'conversation' | 'message'; id: string }[];
}

/** Whether two versions of a conversation agree on everything sync carries (totals are local sums). */
function sameEdits(first: Conversation, second: Conversation): boolean {
  const carried = ({ usage: _usage, cost: _cost, costUnknown: _costUnknown, ...rest }: Conversation) => rest;
  return canonical(carried(first)) === canonical(carried(second));
}

export class SyncStorage {
  readonly #database: ParleyDatabase;

  constructor(database: ParleyDatabase) {
    this.#database = database;
  }

  getConfig(): Promise<SyncConfigRow | undefined> {
    return readStores(() => this.#database.get('sync', SYNC_KEY));
  }

  async putConfig(config: SyncConfigRow): Promise<void> {
    await writeStores(this.#database, ['sync'], async (transaction) => {
      await transaction.objectStore('sync').put(config);
    });
  }

  /** Change the stored config as it is now; nothing when sync was turned off meanwhile. */
  async updateConfig(change: (config: SyncConfigRow) => SyncConfigRow): Promise<void> {
    await writeStores(this.#database, ['sync'], async (transaction) => {
      const store = transaction.objectStore('sync');
      const current = await store.get(SYNC_KEY);
      if (current) await store.put(change(current));
    });
  }

  async deleteConfig(): Promise<void> {
    await writeStores(this.#database, ['sync'], async (transaction) => {
      await transaction.objectStore('sync').delete(SYNC_KEY);
    });
  }

  /** One attachment with its file. */
  getAttachment(id: string): Promise<AttachmentRow | undefined> {
    return readStores(() => this.#database.get('attachments', id));
  }

  /**
   * Merge a batch of incoming records in ONE transaction. Deletions of what is not here, and
   * records no newer than ours, change nothing. Messages whose conversation is not here yet are
   * kept: it arrives later, and they show then.
   */
  async apply(batch: IncomingRecord[]): Promise<AppliedBatch> {
    return writeStores(this.#database, ['conversations', 'messages', 'attachments', 'providers'], async (transaction) => {
      const applied: AppliedBatch = {
        conversations: [],
        deletedConversations: [],
        messages: [],
        deletedMessages: [],
        providersChanged: false,
        newerHere: [],
      };
      const conversations = transaction.objectStore('conversations');
      const messages = transaction.objectStore('messages');
      const attachments = transaction.objectStore('attachments');
      const providers = transaction.objectStore('providers');
      /** Conversations whose messages changed: their totals are recomputed at the end. */
      const touched = new Set<string>();
      const incomingConversations = new Map<string, Conversation>();

      for (const change of batch) {
        if (change.kind === 'conversation') {
          const remote = change.record;
          const local = await conversations.get(remote.id);
          // Field by field, the later edit wins (totals are recomputed below, never merged).
          const merged = local ? mergeConversations(local, remote) : remote;
          if (local && sameEdits(merged, local) && sameEdits(merged, remote)) continue;
          if (local && !sameEdits(merged, remote)) applied.newerHere.push({ kind: 'conversation', id: remote.id });
          incomingConversations.set(remote.id, merged);
          touched.add(remote.id);
        } else if (change.kind === 'message') {
          const remote = change.record;
          const local = await messages.get(remote.id);
          if (local?.status === 'streaming') continue; // a run here owns it; its end is sent later
          if (local && local.updatedAt > remote.updatedAt) {
            applied.newerHere.push({ kind: 'message', id: remote.id });
            continue;
          }
          await messages.put(remote);
          applied.messages.push(remote);
          touched.add(remote.conversationId);
        } else if (change.kind === 'attachment') {
          if ((await attachments.getKey(change.record.id)) === undefined) await attachments.put(change.record);
        } else if (change.kind === 'provider') {
          const local = await providers.get(change.record.id);
          // Keys never travel: a provider keeps this device's key, or has none yet.
          const merged: Provider = { ...change.record, ...(local?.apiKey ? { apiKey: local.apiKey } : {}) };
          if (JSON.stringify(local) !== JSON.stringify(merged)) {
            await providers.put(merged);
            applied.providersChanged = true;
          }
        } else if (change.target === 'conversation') {
          if ((await conversations.getKey(change.id)) === undefined) continue;
          await conversations.delete(change.id);
          const ids: string[] = [];
          for (
            let cursor = await messages.index('conversation').openCursor(messagesOf(change.id));
            cursor;
            cursor = await cursor.continue()
          ) {
            ids.push(cursor.primaryKey);
            await cursor.delete();
          }
          for (
            let cursor = await attachments.index('conversation').openCursor(change.id);
            cursor;
            cursor = await cursor.continue()
          ) {
            await cursor.delete();
          }
          applied.deletedConversations.push({ id: change.id, messageIds: ids });
          touched.delete(change.id);
        } else if (change.target === 'message') {
          const local = await messages.get(change.id);
          if (!local) continue;
          await messages.delete(change.id);
          for (let cursor = await attachments.index('message').openCursor(change.id); cursor; cursor = await cursor.continue()) {
            await cursor.delete();
          }
          const entry = applied.deletedMessages.find((deleted) => deleted.conversationId === local.conversationId);
          if (entry) entry.ids.push(change.id);
          else applied.deletedMessages.push({ conversationId: local.conversationId, ids: [change.id] });
          touched.add(local.conversationId);
        } else if (change.target === 'attachment') {
          await attachments.delete(change.id);
        } else if (change.target === 'provider') {
          if ((await providers.getKey(change.id)) === undefined) continue;
          await providers.delete(change.id);
          applied.providersChanged = true;
        }
      }

      // Totals from the messages now here.
      for (const conversationId of touched) {
        const conversation = incomingConversations.get(conversationId) ?? (await conversations.get(conversationId));
        if (!conversation) continue;
        const own = await messages.index('conversation').getAll(messagesOf(conversationId));
        const totals = totalsOf(own);
        // The shown leaf stays as it came, even before its message arrives: readers fall back to
        // the newest leaf meanwhile, and a leaf changed here would be sent back as an edit.
        const next: Conversation = {
          ...conversation,
          usage: totals.usage,
          cost: totals.cost,
          ...(totals.costUnknown ? { costUnknown: true } : {}),
        };
        if (!totals.costUnknown) delete next.costUnknown;
        await conversations.put(next);
        applied.conversations.push(next);
      }
      return applied;
    });
  }
}
