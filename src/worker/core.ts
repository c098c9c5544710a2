import { writerLockName, type LockRequester } from '../shared/locks';
import type { CoreEvent } from '../shared/protocol';
import type { DataTransfer } from './data-transfer/data-transfer';
import { AbandonedReplies } from './lifecycle/abandoned-replies';
import { watchBuildSkew } from './lifecycle/build-skew';
import { claimDatabaseWriter } from './lifecycle/database-writer';
import { Catalog } from './providers/catalog';
import { Connectivity } from './providers/connectivity';
import type { LocalServerTarget } from './providers/local-servers';
import type { ImageScaler } from './session/attachment-intake';
import type { SyncTuning } from './sync/sync-service';
import type { PouchFactory } from './sync/mirror';
import { SyncControl } from './sync/sync-control';
import { Conversations } from './session/conversations';
import { EventBus } from './session/event-bus';
import type { GenerationTimings } from './session/generation';
import { Search } from './search/search';
import { Runs } from './session/runs';
import { Sessions } from './session/sessions';
import { Repository } from './storage/repository';
import { DEFAULT_DATABASE_NAME } from './storage/schema';

export interface CoreOptions {
  buildId: string;
  databaseName?: string;
  /**
   * Web Locks (`navigator.locks`) in a browser; absent, dead tabs are only noticed on `detach`
   * and no other core is waited for.
   */
  locks?: LockRequester;
  timings?: Partial<GenerationTimings>;
  /** How long an unviewed session keeps its state. */
  idleMs?: number;
  /** Tell other builds' cores that this one started (the browser entries do; tests don't). */
  announceBuild?: boolean;
  /** Read the stored history into the search index after starting (default true). */
  indexHistory?: boolean;
  /** Fits attached images (the browser's canvas unless a test brings its own). */
  imageScaler?: ImageScaler;
  /** Where "Detect local servers" looks; the local presets' default addresses unless tests say. */
  localServers?: readonly LocalServerTarget[];
  /** PouchDB for sync (the browser's IndexedDB and HTTP unless a test brings its own). */
  syncPouch?: () => Promise<PouchFactory>;
  /** Sync's pace: PBKDF2 iterations for a new database, how often a gone server is asked (tests shorten both). */
  syncTuning?: SyncTuning;
}

/** How long after a start the search index starts reading the history. */
const INDEX_DELAY_MS = 1000;

/** One per worker: the composition root. Storage, providers, sessions and runs, wired in order. */
export class Core {
  #dataTransfer: Promise<DataTransfer> | undefined;

  private constructor(
    readonly options: CoreOptions,
    readonly repository: Repository,
    readonly bus: EventBus,
    readonly connectivity: Connectivity,
    readonly catalog: Catalog,
    readonly sessions: Sessions,
    readonly runs: Runs,
    readonly conversations: Conversations,
    readonly abandoned: AbandonedReplies,
    readonly sync: SyncControl,
    readonly search: Search,
  ) {}

  /**
   * Export and import of everything (Settings → Data), loaded on first use: the importers and
   * the zip reader are a chunk of their own, so a cold start does not parse them.
   */
  dataTransfer(): Promise<DataTransfer> {
    return (this.#dataTransfer ??= import('./data-transfer/data-transfer').then(
      ({ DataTransfer }) =>
        new DataTransfer(this.repository, this.bus, {
          onImported: (conversationIds, messages) => this.search.indexConversations(conversationIds, messages),
          imageScaler: this.options.imageScaler,
        }),
    ));
  }

  /**
   * 1. Open the database (running upgrades); a newer build asking for it makes us tell every
   *    tab `core-outdated`.
   * 2. Wire providers, sessions, runs and conversations. The search index follows the core's
   *    events from here on, and reads the stored history in the background a second later, in
   *    slices (see search/search.ts).
   * 3. Replies left `streaming` by a core that died become `interrupted` — only while holding
   *    the database's writer lock (`claimDatabaseWriter`): if another core still holds it, this
   *    happens once it is gone, sparing this core's own replies, and the tabs told. A tab that
   *    opens such a conversation later gets the saved row first (`AbandonedReplies`).
   * 4. Only then are tab calls served; the active provider is probed in the background.
   */
  static async start(options: CoreOptions): Promise<Core> {
    const bus = new EventBus();
    const outdated = (reason: string): void => bus.broadcast({ type: 'core-outdated', reason } satisfies CoreEvent);
    const databaseName = options.databaseName ?? DEFAULT_DATABASE_NAME;
    let sync: SyncControl | undefined;
    const repository = await Repository.open(databaseName, {
      onVersionChange: () => {
        // The database closes under this core: a newer one takes over, sync included.
        void sync?.pause();
        outdated('A newer version of Parley has been opened in another tab. Reload to use it.');
      },
    });
    const connectivity = new Connectivity(bus);
    const catalog = new Catalog(repository, bus, connectivity);
    connectivity.setProbe(() => catalog.activeProviderReachable());
    // Sessions read the running reply from `runs`, which publish through `sessions`.
    let runs: Runs | undefined;
    const sessions = new Sessions({ bus, connectivity, idleMs: options.idleMs, runOf: (id) => runs?.run(id) });
    runs = new Runs({ repository, catalog, bus, sessions, timings: options.timings, imageScaler: options.imageScaler });
    const conversations = new Conversations({ repository, catalog, bus, sessions, runs });
    const search = new Search(repository, bus);
    // After the cold start's own reads (the list, the conversation opened), not among them.
    if (options.indexHistory !== false) void search.start(INDEX_DELAY_MS).catch(() => undefined);
    const abandoned = new AbandonedReplies(repository);
    sync = new SyncControl({ repository, bus, pouch: options.syncPouch, tuning: options.syncTuning });
    await claimDatabaseWriter(options.locks, writerLockName(databaseName), async () => {
      // Viewers exist only when this runs late (another core held the lock when this one started).
      const recovered = await abandoned.recover((conversationId) => runs.isBusy(conversationId));
      for (const message of recovered) {
        bus.toViewers(message.conversationId, { type: 'message-upsert', conversationId: message.conversationId, message });
      }
      // Only the writer syncs: two cores must never both feed one mirror. What it must send that
      // happened before it runs (the replies just recovered among them) was kept from the start.
      void sync.resume();
    });
    if (options.announceBuild) {
      watchBuildSkew(options.buildId, () => outdated('A newer version of Parley is open in another tab. Reload to use it.'));
    }
    // Know early whether the provider answers, so a tab opened offline says so.
    void connectivity.check();
    return new Core(options, repository, bus, connectivity, catalog, sessions, runs, conversations, abandoned, sync, search);
  }
}
