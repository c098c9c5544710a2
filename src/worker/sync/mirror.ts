/**
 * The local mirror (a PouchDB database of sealed documents on this device) and the server's
 * database, as Parley uses them. Which storage the mirror uses is the caller's: the browser's
 * IndexedDB in the core, memory in Node tests.
 */

/** A document as PouchDB stores it; Parley's hold only `payload` (sealed) and a file. */
export interface MirrorDocument {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  _conflicts?: string[];
  payload?: string;
  /** `data` is base64 going in, and coming out with `attachments: true`; a stub otherwise. */
  _attachments?: Record<string, { content_type: string; data?: string; stub?: boolean }>;
}

/** One change of a changes feed. */
export interface MirrorChange {
  id: string;
  seq: string | number;
  /** The winning revision (PouchDB prefers any live leaf to a deleted one). */
  doc?: MirrorDocument;
  /** Every leaf revision, deleted ones included (`style: 'all_docs'`). */
  changes?: Array<{ rev: string }>;
}

/** Every leaf of a document (`open_revs: 'all'`): live, deleted, or gone meanwhile. */
export type MirrorLeaves = Array<{ ok?: MirrorDocument & { _rev: string }; missing?: string }>;

interface ChangesFeed {
  on(event: 'change', listener: (change: MirrorChange) => void): ChangesFeed;
  on(event: 'error', listener: (error: unknown) => void): ChangesFeed;
  cancel(): void;
}

/** What replication events carry, as far as the status needs it. */
export interface ReplicationInfo {
  direction?: 'push' | 'pull';
  change?: { docs_written?: number; pending?: number };
}

interface Replication {
  on(event: 'active' | 'paused' | 'complete', listener: () => void): Replication;
  on(event: 'change', listener: (info: ReplicationInfo) => void): Replication;
  on(event: 'denied' | 'error', listener: (error: unknown) => void): Replication;
  cancel(): void;
}

/** The calls Parley makes on a PouchDB database (the mirror or the server). */
export interface Mirror {
  get(
    id: string,
    options?: { rev?: string; attachments?: boolean },
  ): Promise<MirrorDocument & { _rev: string; [field: string]: unknown }>;
  get(id: string, options: { open_revs: 'all' }): Promise<MirrorLeaves>;
  put(document: MirrorDocument | MetaDocument): Promise<{ id: string; rev: string }>;
  bulkDocs(documents: MirrorDocument[]): Promise<Array<{ id?: string; rev?: string; error?: unknown }>>;
  allDocs(options: { keys: string[]; include_docs: true; conflicts?: boolean }): Promise<{
    rows: Array<{ key: string; value?: { rev: string; deleted?: boolean }; doc?: MirrorDocument | null; error?: string }>;
  }>;
  changes(options: {
    since: string | number;
    live: true;
    include_docs: true;
    conflicts: true;
    style: 'all_docs';
    return_docs: false;
  }): ChangesFeed;
  sync(other: Mirror, options: { live: boolean; retry: boolean; batch_size?: number }): Replication;
  info(): Promise<unknown>;
  destroy(): Promise<unknown>;
  close(): Promise<unknown>;
}

/** The id of the one document in clear: how the keys are derived, and a check of the passphrase. */
export const META_ID = 'parley-sync-meta';

/** The plain document that lets another device derive the same keys and know a wrong passphrase. */
export interface MetaDocument {
  _id: typeof META_ID;
  _rev?: string;
  format: 'parley-sync';
  version: 1;
  salt: string;
  iterations: number;
  /** A known text sealed with the keys: a wrong passphrase fails to open it. */
  check: string;
}

/** Makes PouchDB databases: the mirror by name, the server by address and login. */
export interface PouchFactory {
  mirror(name: string): Mirror;
  server(url: string, login: { username: string; password: string }): Mirror;
}
