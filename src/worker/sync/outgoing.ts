/**
 * Local changes into the mirror (which replicates them to the server). Every write seals the
 * record as it is stored now, and is skipped when the mirror already holds the same record — so
 * records that arrived from another device, and changes that change nothing the server keeps
 * (a conversation's totals), are not sent back.
 */
import { appendAll } from '../../shared/arrays';
import type { Conversation, CoreEvent, Message, Settings } from '../../shared/protocol';
import type { Repository } from '../storage/repository';
import type { AttachmentRow } from '../storage/schema';
import type { SyncKeys } from './crypto';
import { idOf, openRecord, sameRecord, sealRecord, timeOf, type SyncDocument, type SyncRecord } from './documents';
import type { Mirror } from './mirror';
import { chunked } from './chunks';

/** A record to seal, with the file it carries (an attachment). */
interface OutgoingRecord {
  record: SyncRecord;
  file?: Blob;
}

/** What the server keeps of a conversation: not its totals (each device sums its own). */
function conversationRecord({ usage: _usage, cost: _cost, costUnknown: _costUnknown, ...record }: Conversation): OutgoingRecord {
  return { record: { kind: 'conversation', record } };
}

function attachmentRecord({ blob, ...record }: AttachmentRow): OutgoingRecord {
  return { record: { kind: 'attachment', record }, file: blob };
}

export class Outgoing {
  readonly #mirror: Mirror;
  readonly #keys: SyncKeys;
  readonly #repository: Repository;
  /** Revisions this device wrote: the incoming side skips them. */
  readonly ownRevisions: Set<string>;
  /** Providers last known here: one missing from the next `providers-change` is deleted on the server. */
  #providerIds = new Set<string>();

  constructor(mirror: Mirror, keys: SyncKeys, repository: Repository, ownRevisions: Set<string>) {
    this.#mirror = mirror;
    this.#keys = keys;
    this.#repository = repository;
    this.ownRevisions = ownRevisions;
  }

  /** The providers held here before any change is handled (sync starting, or the core starting). */
  knowProviders(ids: Iterable<string>): void {
    this.#providerIds = new Set(ids);
  }

  /** What a core event means for the server. Run one at a time (the caller queues them). */
  async handle(event: CoreEvent): Promise<void> {
    switch (event.type) {
      case 'conversation-upsert':
        return this.pushConversation(event.conversation.id);
      case 'conversations-upsert':
        return this.pushConversations(event.conversations.map((conversation) => conversation.id));
      case 'message-upsert':
      case 'message-end':
        return this.pushMessage(event.message.id);
      case 'message-delete':
        for (const id of event.messageIds) await this.#pushMessageDeletion(id, event.conversationId);
        return;
      case 'conversation-delete':
        await this.#pushDeletion({ kind: 'deleted', target: 'conversation', id: event.conversationId, at: Date.now() });
        for (const id of event.messageIds) await this.#pushMessageDeletion(id, event.conversationId);
        return;
      case 'providers-change': {
        const ids = new Set(event.providers.map((provider) => provider.id));
        for (const provider of event.providers) {
          const { apiKey: _apiKey, ...record } = provider;
          await this.#put({ kind: 'provider', record });
        }
        for (const id of this.#providerIds) {
          if (!ids.has(id)) await this.#pushDeletion({ kind: 'deleted', target: 'provider', id, at: Date.now() });
        }
        this.#providerIds = ids;
        return;
      }
      case 'settings-change':
        return this.#pushSettings(event.settings);
      default:
        return;
    }
  }

  async pushConversation(id: string): Promise<void> {
    const conversation = await this.#repository.getConversation(id);
    if (conversation) await this.#put(conversationRecord(conversation).record);
  }

  /** A finished message, and its files. A reply still streaming waits for its end. */
  async pushMessage(id: string): Promise<void> {
    const message = await this.#repository.getMessage(id);
    if (!message || message.status === 'streaming') return;
    await this.#pushFiles(message);
    await this.#put({ kind: 'message', record: message });
  }

  /** Conversations that came in bulk (an import): each with every message and file, in bulk. */
  async pushConversations(ids: string[]): Promise<void> {
    const conversations = await this.#repository.getConversations(ids);
    const messages = (await this.#repository.listMessagesOf(ids)).flat().filter((message) => message.status !== 'streaming');
    const records: OutgoingRecord[] = conversations.map(conversationRecord);
    for (const message of messages) {
      for (const reference of message.attachments ?? []) {
        const row = await this.#repository.syncStorage().getAttachment(reference.id);
        if (row) records.push(attachmentRecord(row));
      }
    }
    appendAll(
      records,
      messages.map((record) => ({ record: { kind: 'message', record } as SyncRecord })),
    );
    // An import brings them back here now, whatever their times: over a deletion too.
    await this.#pushBulk(records, { overDeletions: true });
  }

  /**
   * The settings as changed here, as new as now. Only a write makes this device's settings
   * newer: settings that arrived from another device come back as a change that writes nothing,
   * and must not make a later change made elsewhere look older than this device's.
   */
  async #pushSettings(settings: Settings): Promise<void> {
    const at = Date.now();
    if (await this.#put({ kind: 'settings', record: settings, at })) {
      await this.#repository.syncStorage().updateConfig((config) => ({ ...config, settingsAt: at }));
    }
  }

  /**
   * Turning sync on: this device's settings go only to a database that holds none. A device that
   * joins takes the settings the others share instead of overwriting them with its own.
   */
  async #offerSettings(server: Mirror): Promise<void> {
    const id = await idOf(this.#keys, 'settings', 'settings');
    const held = await server.get(id).then(
      () => true,
      (error: unknown) => (error as { status?: number }).status !== 404, // unsure: leave theirs alone
    );
    if (!held) await this.#pushSettings(await this.#repository.getSettings());
  }

  /**
   * Everything this device holds — turning sync on (`server`: the database joined), or changes
   * too many to keep before sync ran: sealed, compared, written in bulk, each record with the
   * time it was last changed, so a deletion made elsewhere since still wins. The settings go
   * only when turning on, and only to a database without any.
   */
  async pushEverything(onProgress?: (done: number, total: number) => void, server?: Mirror): Promise<void> {
    if (server) await this.#offerSettings(server);
    const data = await this.#repository.readEverything();
    const records: OutgoingRecord[] = [
      ...data.providers.map(({ apiKey: _apiKey, ...record }) => ({ record: { kind: 'provider', record } as SyncRecord })),
      ...data.conversations.map(conversationRecord),
      ...data.attachments.map(attachmentRecord),
      ...data.messages
        .filter((message) => message.status !== 'streaming')
        .map((record) => ({ record: { kind: 'message', record } as SyncRecord })),
    ];
    await this.#pushBulk(records, { onProgress, overDeletions: false });
  }

  /**
   * Records sealed and written a chunk at a time (`chunks.ts`), leaving out what the mirror holds already, and
   * (unless `overDeletions`) what it holds deleted as late as the record or later.
   */
  async #pushBulk(
    records: OutgoingRecord[],
    options: { onProgress?: (done: number, total: number) => void; overDeletions: boolean },
  ): Promise<void> {
    let done = 0;
    for (const chunk of chunked(records, ({ file }) => file?.size ?? 0)) {
      const documents = await Promise.all(chunk.map(({ record, file }) => sealRecord(this.#keys, record, file)));
      const existing = await this.#mirror.allDocs({ keys: documents.map((document) => document._id), include_docs: true });
      const writes: SyncDocument[] = [];
      for (const [index, row] of existing.rows.entries()) {
        const document = documents[index];
        const { record, file } = chunk[index];
        const stored = 'doc' in row && row.doc ? (row.doc as SyncDocument) : undefined;
        if (stored && !stored._deleted) {
          const same = await openRecord(this.#keys, stored).then(
            (held) => sameRecord(held, record),
            () => false,
          );
          if (same || file) continue;
        }
        if (row.value?.deleted && !options.overDeletions) {
          const deletion = (await this.#current(document._id))?.record;
          if (deletion && timeOf(deletion) >= timeOf(record)) continue;
        }
        if ('value' in row && row.value) document._rev = row.value.rev;
        writes.push(document);
      }
      const results = await this.#mirror.bulkDocs(writes);
      for (const result of results) if ('rev' in result && result.rev) this.ownRevisions.add(result.rev);
      done += chunk.length;
      options.onProgress?.(done, records.length);
    }
  }

  async #pushFiles(message: Message): Promise<void> {
    for (const reference of message.attachments ?? []) {
      const id = await idOf(this.#keys, 'attachment', reference.id);
      if (
        await this.#mirror.get(id).then(
          () => true,
          () => false,
        )
      )
        continue; // files never change
      const row = await this.#repository.syncStorage().getAttachment(reference.id);
      if (!row) continue;
      const { blob, ...record } = row;
      await this.#write(await sealRecord(this.#keys, { kind: 'attachment', record }, blob));
    }
  }

  /** A message's tombstone, and its files' (listed by the message as the mirror holds it). */
  async #pushMessageDeletion(id: string, conversationId: string): Promise<void> {
    const stored = await this.#current(await idOf(this.#keys, 'message', id));
    if (stored?.record?.kind === 'message') {
      for (const reference of stored.record.record.attachments ?? []) {
        await this.#pushDeletion({ kind: 'deleted', target: 'attachment', id: reference.id, conversationId, at: Date.now() });
      }
    }
    await this.#pushDeletion({ kind: 'deleted', target: 'message', id, conversationId, at: Date.now() });
  }

  /**
   * A tombstone where the server holds the record; nothing when it never got there. It goes over
   * every live branch: a branch left alive would win over a deleted one and bring the record back.
   */
  async #pushDeletion(record: Extract<SyncRecord, { kind: 'deleted' }>): Promise<void> {
    const stored = await this.#current(await idOf(this.#keys, record.target, record.id));
    if (!stored || stored.document._deleted) return;
    const document = await sealRecord(this.#keys, record);
    const others = (stored.document._conflicts ?? []).map((rev) => ({ ...document, _rev: rev }));
    if (others.length > 0) {
      const results = await this.#mirror.bulkDocs(others);
      for (const result of results) if ('rev' in result && result.rev) this.ownRevisions.add(result.rev);
    }
    await this.#write({ ...document, _rev: stored.document._rev });
  }

  /**
   * The record, unless the mirror holds the same already. Over a tombstone only when the record
   * is newer than the deletion: a late copy must not bring a deleted record back. Says whether
   * it wrote.
   */
  async #put(record: SyncRecord): Promise<boolean> {
    const document = await sealRecord(this.#keys, record);
    const stored = await this.#current(document._id);
    if (stored?.record) {
      if (stored.document._deleted ? timeOf(stored.record) >= timeOf(record) : sameRecord(stored.record, record)) return false;
    }
    await this.#write(stored ? { ...document, _rev: stored.document._rev } : document);
    return true;
  }

  /** The mirror's current revision of a document — a tombstone too — opened when it can be. */
  async #current(documentId: string): Promise<{ document: SyncDocument; record: SyncRecord | undefined } | undefined> {
    const [row] = (await this.#mirror.allDocs({ keys: [documentId], include_docs: true, conflicts: true })).rows;
    if (!row?.value) return undefined;
    const document = (
      row.value.deleted ? await this.#mirror.get(documentId, { rev: row.value.rev }).catch(() => undefined) : row.doc
    ) as SyncDocument | undefined;
    if (!document) return undefined;
    return { document, record: await openRecord(this.#keys, document).catch(() => undefined) };
  }

  /** Write a document, taking the latest revision once if another write came between. */
  async #write(document: SyncDocument): Promise<void> {
    try {
      const result = await this.#mirror.put(document);
      this.ownRevisions.add(result.rev);
    } catch (error) {
      if ((error as { status?: number }).status !== 409) throw error;
      const latest = await this.#mirror.get(document._id).catch(() => undefined);
      const result = await this.#mirror.put({ ...document, _rev: latest?._rev });
      this.ownRevisions.add(result.rev);
    }
  }
}
