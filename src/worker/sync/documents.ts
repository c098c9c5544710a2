/**
 * Records as the server stores them: one encrypted document per record, its id an HMAC of the
 * record's kind and id, its body `{payload}` — a sealed `SyncRecord` and nothing in clear. A
 * file's bytes travel sealed as the document's binary attachment. A deletion is a tombstone that
 * still carries a sealed note of what went, so other devices know what to delete.
 */
import type { AttachmentRef, Conversation, Message, Provider, Settings } from '../../shared/protocol';
import { documentId, openBytes, openJson, sealBytes, sealJson, type SyncKeys } from './crypto';
import type { MirrorDocument } from './mirror';

/** The kinds of record that sync. */
export type RecordKind = 'conversation' | 'message' | 'attachment' | 'provider' | 'settings';

/** What a document holds, decrypted. */
export type SyncRecord =
  /** Totals are left out: every device recomputes them from the messages it holds. */
  | { kind: 'conversation'; record: Omit<Conversation, 'usage' | 'cost' | 'costUnknown'> }
  /** Only finished messages: a reply syncs when it ends, never while it streams. */
  | { kind: 'message'; record: Message }
  | { kind: 'attachment'; record: AttachmentRef & { conversationId: string; messageId: string } }
  /** Without its API key: keys never leave the device. */
  | { kind: 'provider'; record: Omit<Provider, 'apiKey'> }
  | { kind: 'settings'; record: Settings; at: number }
  | { kind: 'deleted'; target: Exclude<RecordKind, 'settings'>; id: string; conversationId?: string; at: number };

/** A Parley document: sealed, so it always has a payload (a tombstone's says what went). */
export type SyncDocument = MirrorDocument & { payload: string };

/** The record's kind and id: where it lives on the server. */
export function addressOf(record: SyncRecord): { kind: Exclude<RecordKind, never>; id: string } {
  if (record.kind === 'deleted') return { kind: record.target, id: record.id };
  if (record.kind === 'settings') return { kind: 'settings', id: 'settings' };
  return { kind: record.kind, id: record.record.id };
}

export function idOf(keys: SyncKeys, kind: RecordKind, id: string): Promise<string> {
  return documentId(keys, kind, id);
}

/** When a record was last changed, for "the newer one wins". */
export function timeOf(record: SyncRecord): number {
  switch (record.kind) {
    case 'conversation':
    case 'message':
      return record.record.updatedAt;
    case 'settings':
    case 'deleted':
      return record.at;
    case 'provider':
      return record.record.lastUsed ?? record.record.createdAt;
    case 'attachment':
      return 0;
  }
}

/** Seal a record (and a file's bytes) into its document. */
export async function sealRecord(keys: SyncKeys, record: SyncRecord, file?: Blob): Promise<SyncDocument> {
  const { kind, id } = addressOf(record);
  const _id = await idOf(keys, kind, id);
  const document: SyncDocument = { _id, payload: await sealJson(keys, _id, record) };
  if (record.kind === 'deleted') document._deleted = true;
  if (file) {
    const sealed = await sealBytes(keys, `${_id}/file`, new Uint8Array(await file.arrayBuffer()));
    document._attachments = { file: { content_type: 'application/octet-stream', data: sealed } };
  }
  return document;
}

/** Open a document; throws when it was not sealed with these keys. */
export function openRecord(keys: SyncKeys, document: Pick<SyncDocument, '_id' | 'payload'>): Promise<SyncRecord> {
  return openJson<SyncRecord>(keys, document._id, document.payload);
}

/** Open a file document's bytes (fetched with `attachments: true`). */
export async function openFile(keys: SyncKeys, document: SyncDocument, mime: string): Promise<Blob | undefined> {
  const sealed = document._attachments?.file?.data;
  if (typeof sealed !== 'string') return undefined;
  return new Blob([await openBytes(keys, `${document._id}/file`, sealed)], { type: mime });
}
