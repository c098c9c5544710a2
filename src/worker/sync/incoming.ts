/**
 * The mirror's changes into Parley's own stores, and the tabs told, as if each change had been
 * made here. Order of events for a batch of changes:
 *  1. Own writes are skipped; documents that are not Parley's are skipped, and those these keys
 *     cannot open are counted (another passphrase wrote them).
 *  2. A document in conflict is settled by the shared rule (`chooseWinner`): the winner is written
 *     over the current revision and the losers are removed, the same way on every device.
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
import type { Mirror, MirrorChange } from './mirror';
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
    const { repository, outgoing } = this.#options;
    const records: IncomingRecord[] = [];
    let unreadable = 0;
    let settings: Extract<SyncRecord, { kind: 'settings' }> | undefined;
    for (const change of changes) {
      const document = change.doc;
      if (!document?.payload) continue; // the key document, or nothing of Parley's
      if (outgoing.ownRevisions.delete(document._rev ?? '')) continue;
      const record = await this.#settle(document as SyncDocument);
      if (record === UNREADABLE) {
        unreadable += 1;
        continue;
      }
      if (record.kind === 'settings') {
        if (!settings || record.at > settings.at) settings = record;
        continue;
      }
      const incoming = await this.#incomingRecord(record, document as SyncDocument);
      if (incoming === UNREADABLE) unreadable += 1;
      else if (incoming) records.push(incoming);
    }
    const applied = records.length > 0 ? await repository.syncStorage().apply(records) : undefined;
    if (applied) await this.#announce(applied);
    if (settings) await this.#applySettings(settings);
    return { lastSeq: changes.at(-1)?.seq ?? 0, applied: records.length, unreadable };
  }

  /**
   * The record a document holds, after settling any conflict by the shared rule. Every device
   * settles the same conflict the same way: when the settled record equals a revision, that
   * revision is kept (the first by the rule among equals) and the others are closed; only a
   * merge that equals none is written, over the current revision. Two devices writing the same
   * merge meet again as equals, and one of them is kept: settling ends instead of echoing.
   */
  async #settle(document: SyncDocument): Promise<SyncRecord | typeof UNREADABLE> {
    const { mirror, keys, outgoing } = this.#options;
    if (!document._conflicts?.length) return tryOpen(openRecord(keys, document));
    const candidates: Candidate[] = [];
    for (const rev of [document._rev!, ...document._conflicts]) {
      const revision = rev === document._rev ? document : ((await mirror.get(document._id, { rev })) as SyncDocument);
      const record = await tryOpen(openRecord(keys, revision));
      if (record === UNREADABLE) return UNREADABLE;
      candidates.push({ rev, record });
    }
    // Versions of one conversation merge field by field; anything else (or a deletion) is won.
    const conversations = candidates.flatMap((candidate) =>
      candidate.record.kind === 'conversation' ? [candidate.record.record] : [],
    );
    const settled: SyncRecord =
      conversations.length === candidates.length
        ? { kind: 'conversation', record: conversations.reduce((first, second) => mergeVersions(first, second)) }
        : chooseWinner(candidates).record;
    const equals = candidates.filter((candidate) => sameRecord(candidate.record, settled));
    const kept = equals.length > 0 ? chooseWinner(equals).rev : undefined;
    const close = (rev: string): SyncDocument => ({ _id: document._id, _rev: rev, _deleted: true, payload: '' });
    const writes: SyncDocument[] = candidates
      .filter((candidate) => candidate.rev !== (kept ?? document._rev))
      .map(({ rev }) => close(rev));
    if (!kept) writes.push({ ...(await sealRecord(keys, settled)), _rev: document._rev });
    const results = await mirror.bulkDocs(writes);
    for (const result of results) if (result.rev) outgoing.ownRevisions.add(result.rev);
    return settled;
  }

  async #incomingRecord(record: SyncRecord, document: SyncDocument): Promise<IncomingRecord | typeof UNREADABLE | undefined> {
    switch (record.kind) {
      case 'conversation':
        return { kind: 'conversation', record: { ...record.record, usage: { promptTokens: 0, completionTokens: 0 }, cost: 0 } };
      case 'message':
        return { kind: 'message', record: record.record };
      case 'provider':
        return { kind: 'provider', record: record.record };
      case 'attachment': {
        const withFile = (await this.#options.mirror.get(document._id, { attachments: true })) as SyncDocument;
        const blob = await tryOpen(openFile(this.#options.keys, withFile, record.record.mime));
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
