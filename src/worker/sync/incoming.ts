/**
 * The mirror's changes into Parley's own stores, and the tabs told, as if each change had been
 * made here. Order of events for a batch of changes:
 *  1. Own writes are skipped; documents that are not Parley's are skipped, and those these keys
 *     cannot open are counted (another passphrase wrote them).
 *  2. A document with more than one leaf is settled by the shared rule (`chooseWinner`) over
 *     every leaf — deleted ones too: PouchDB prefers any live leaf to a tombstone and leaves
 *     tombstones out of `_conflicts`, so a deletion meeting a concurrent edit would otherwise
 *     be dropped. The same way on every device, the winner is kept and the losers are closed;
 *     a deletion that wins is written over every live leaf.
 *  3. The batch is merged in one transaction (`SyncStorage.apply`); settings when newer.
 *  4. Events go to the tabs; what was newer here is sent back.
 * Anything else that fails (reading the mirror, writing a store) fails the batch, which is
 * then read again (`IncomingFeed`): it is never counted as unreadable and skipped.
 */
import type { EventBus } from '../session/event-bus';
import type { Repository } from '../storage/repository';
import type { AppliedBatch, IncomingRecord } from '../storage/sync-storage';
import type { SyncKeys } from './crypto';
import { mergeConversations } from '../../shared/conversation-edits';
import { openFile, openRecord, sameRecord, sealRecord, type SyncDocument, type SyncRecord } from './documents';
import { chooseWinner, type Candidate } from './merge';
import { META_ID, type Mirror, type MirrorChange } from './mirror';
import type { Outgoing } from './outgoing';

export interface IncomingOptions {
  mirror: Mirror;
  keys: SyncKeys;
  repository: Repository;
  bus: EventBus;
  outgoing: Outgoing;
}

/** What one batch did, for the status. */
export interface BatchOutcome {
  lastSeq: string | number;
  applied: number;
  /** Documents these keys could not open. */
  unreadable: number;
}

/** A document these keys cannot open: sealed with another passphrase. */
const UNREADABLE: unique symbol = Symbol('unreadable');

/** What these keys open, or UNREADABLE: opening only decrypts and parses, so no other failure is hidden. */
async function tryOpen<T>(opening: Promise<T>): Promise<T | typeof UNREADABLE> {
  try {
    return await opening;
  } catch {
    return UNREADABLE;
  }
}

type ConversationVersion = Extract<SyncRecord, { kind: 'conversation' }>['record'];

/** Two synced versions of a conversation as one (totals are not synced: each device sums its own). */
function mergeVersions(first: ConversationVersion, second: ConversationVersion): ConversationVersion {
  const totals = { usage: { promptTokens: 0, completionTokens: 0 }, cost: 0 };
  const {
    usage: _usage,
    cost: _cost,
    costUnknown: _costUnknown,
    ...merged
  } = mergeConversations({ ...first, ...totals }, { ...second, ...totals });
  return merged;
}

export class Incoming {
  readonly #options: IncomingOptions;

  constructor(options: IncomingOptions) {
    this.#options = options;
  }

  async apply(changes: MirrorChange[]): Promise<BatchOutcome> {
    const { repository } = this.#options;
    const records: IncomingRecord[] = [];
    let unreadable = 0;
    let settings: Extract<SyncRecord, { kind: 'settings' }> | undefined;
    for (const change of changes) {
      const record = await this.#open(change);
      if (record === UNREADABLE) unreadable += 1;
      if (!record || record === UNREADABLE) continue;
      if (record.kind === 'settings') {
        if (!settings || record.at > settings.at) settings = record;
        continue;
      }
      const incoming = await this.#incomingRecord(record, change.id);
      if (incoming === UNREADABLE) unreadable += 1;
      else if (incoming) records.push(incoming);
    }
    const applied = records.length > 0 ? await repository.syncStorage().apply(records) : undefined;
    if (applied) await this.#announce(applied);
    if (settings) await this.#applySettings(settings);
    return { lastSeq: changes.at(-1)?.seq ?? 0, applied: records.length, unreadable };
  }

  /** The record a change brings, settled when the document has more than one leaf; nothing for own writes. */
  async #open(change: MirrorChange): Promise<SyncRecord | typeof UNREADABLE | undefined> {
    const { keys, outgoing } = this.#options;
    const document = change.doc;
    if (!document || change.id === META_ID) return undefined;
    const own = outgoing.ownRevisions.delete(document._rev ?? '');
    if ((change.changes?.length ?? 1) <= 1) {
      if (own || !document.payload) return undefined; // this device's write, or nothing of Parley's
      return tryOpen(openRecord(keys, { _id: change.id, payload: document.payload }));
    }
    const candidates = await this.#candidates(change.id);
    if (candidates === UNREADABLE) return UNREADABLE;
    if (candidates.length === 0) return undefined;
    if (candidates.length === 1) return own && candidates[0].rev === document._rev ? undefined : candidates[0].record;
    return this.#settle(change.id, candidates);
  }

  /**
   * Every leaf that says something, opened: live records, and deletions tombstones still carry.
   * Closed leaves (no payload) say nothing; a tombstone these keys cannot open is left out.
   */
  async #candidates(id: string): Promise<Candidate[] | typeof UNREADABLE> {
    const { mirror, keys } = this.#options;
    const candidates: Candidate[] = [];
    for (const { ok: leaf } of await mirror.get(id, { open_revs: 'all' })) {
      if (!leaf?.payload) continue;
      const record = await tryOpen(openRecord(keys, { _id: id, payload: leaf.payload }));
      if (record !== UNREADABLE) candidates.push({ rev: leaf._rev, record });
      else if (!leaf._deleted) return UNREADABLE;
    }
    return candidates;
  }

  /**
   * Settle a document's leaves by the shared rule, the same way on every device: versions of
   * one conversation merge field by field, and that merge, any other record and any deletion
   * are then won by the newer (a deletion at equal times). A record that wins and equals a
   * revision keeps that revision (the first by the rule among equals) and closes the others;
   * only a merge that equals none is written, over the live winner. A deletion that wins is
   * written over every live leaf, so no branch brings the record back. Two devices settling at
   * once meet again as equals, and one of them is kept: settling ends instead of echoing.
   */
  async #settle(id: string, candidates: Candidate[]): Promise<SyncRecord> {
    const { mirror, keys, outgoing } = this.#options;
    const live = candidates.filter((candidate) => candidate.record.kind !== 'deleted');
    const deletions = candidates.filter((candidate) => candidate.record.kind === 'deleted');
    const base = live.length > 0 ? chooseWinner(live) : undefined;
    const conversations = live.flatMap((candidate) =>
      candidate.record.kind === 'conversation' ? [candidate.record.record] : [],
    );
    const contenders =
      base && conversations.length === live.length
        ? [
            {
              rev: base.rev,
              record: { kind: 'conversation', record: conversations.reduce(mergeVersions) } satisfies SyncRecord,
            },
            ...deletions,
          ]
        : candidates;
    const settled = chooseWinner(contenders).record;
    const writes: SyncDocument[] = [];
    if (settled.kind === 'deleted' || !base) {
      for (const { rev } of live) writes.push({ ...(await sealRecord(keys, settled)), _rev: rev });
    } else {
      const equals = live.filter((candidate) => sameRecord(candidate.record, settled));
      const kept = equals.length > 0 ? chooseWinner(equals).rev : undefined;
      const close = (rev: string): SyncDocument => ({ _id: id, _rev: rev, _deleted: true, payload: '' });
      for (const { rev } of candidates) if (rev !== (kept ?? base.rev)) writes.push(close(rev));
      if (!kept) writes.push({ ...(await sealRecord(keys, settled)), _rev: base.rev });
    }
    if (writes.length > 0) {
      const results = await mirror.bulkDocs(writes);
      for (const result of results) if (result.rev) outgoing.ownRevisions.add(result.rev);
    }
    return settled;
  }

  async #incomingRecord(record: SyncRecord, documentId: string): Promise<IncomingRecord | typeof UNREADABLE | undefined> {
    switch (record.kind) {
      case 'conversation':
        return { kind: 'conversation', record: { ...record.record, usage: { promptTokens: 0, completionTokens: 0 }, cost: 0 } };
      case 'message':
        return { kind: 'message', record: record.record };
      case 'provider':
        return { kind: 'provider', record: record.record };
      case 'attachment': {
        const withFile = await this.#options.mirror.get(documentId, { attachments: true });
        const blob = await tryOpen(openFile(this.#options.keys, { ...withFile, payload: '' }, record.record.mime));
        if (blob === UNREADABLE) return UNREADABLE;
        return blob ? { kind: 'attachment', record: { ...record.record, blob } } : undefined;
      }
      case 'deleted':
        return {
          kind: 'deleted',
          target: record.target,
          id: record.id,
          ...(record.conversationId ? { conversationId: record.conversationId } : {}),
        };
      default:
        return undefined;
    }
  }

  async #announce(applied: AppliedBatch): Promise<void> {
    const { bus, repository, outgoing } = this.#options;
    for (const message of applied.messages) {
      bus.toViewers(message.conversationId, { type: 'message-upsert', conversationId: message.conversationId, message });
    }
    for (const { conversationId, ids } of applied.deletedMessages) {
      bus.toViewers(conversationId, { type: 'message-delete', conversationId, messageIds: ids });
    }
    for (const conversation of applied.conversations) bus.broadcast({ type: 'conversation-upsert', conversation });
    for (const { id, messageIds } of applied.deletedConversations) {
      bus.broadcast({ type: 'conversation-delete', conversationId: id, messageIds });
    }
    if (applied.providersChanged) bus.broadcast({ type: 'providers-change', providers: await repository.listProviders() });
    for (const newer of applied.newerHere) {
      if (newer.kind === 'conversation') await outgoing.pushConversation(newer.id);
      else await outgoing.pushMessage(newer.id);
    }
  }

  /** The other device's settings, when they are newer than the last this device sent or took. */
  async #applySettings(record: Extract<SyncRecord, { kind: 'settings' }>): Promise<void> {
    const { repository, bus } = this.#options;
    const storage = repository.syncStorage();
    const config = await storage.getConfig();
    if (!config || record.at <= config.settingsAt) return;
    await storage.updateConfig((current) => ({ ...current, settingsAt: record.at }));
    await repository.putSettings(record.record);
    bus.broadcast({ type: 'settings-change', settings: record.record });
  }
}
