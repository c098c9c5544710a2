/**
 * Sync's life in the core: turning it on (checking the server and the passphrase), running it
 * (local changes out, the server's changes in, both live), saying where it stands, and turning
 * it off. Loaded only when sync is on.
 *
 * Order of events while it runs:
 *  1. Local changes (core events, kept from the core's start by `LocalChanges`) are sealed into
 *     the mirror, one at a time (`Outgoing`).
 *  2. PouchDB replicates the mirror with the server, both ways, live, retrying on its own.
 *  3. The mirror's changes feed, in batches, is merged into Parley's stores (`IncomingFeed`),
 *     and how far is stored, so a restart goes on from there.
 *
 * Starting takes several steps that wait (the server, the keys, the config, a first push).
 * Turning sync off or pausing it meanwhile wins: each start holds the `#generation` it began
 * in, and the running sync it registers at once; after every wait it goes on only if both are
 * still current, and `#stop` ends whatever it had set up.
 */
import { concatMap, Subject, type Subscription } from 'rxjs';
import type { CoreEvent, ErrorInfo, Result, SyncSetup, SyncStatus } from '../../shared/protocol';
import { fail, ok } from '../../shared/result';
import type { EventBus } from '../session/event-bus';
import type { Repository } from '../storage/repository';
import type { SyncConfigRow } from '../storage/schema';
import { connectServer, describeFailure } from './connect';
import { Incoming } from './incoming';
import { IncomingFeed } from './incoming-feed';
import type { LocalChanges } from './local-changes';
import type { Mirror, PouchFactory } from './mirror';
import { Outgoing } from './outgoing';

export interface SyncServiceOptions {
  repository: Repository;
  bus: EventBus;
  pouch: PouchFactory;
  local: LocalChanges;
  tuning?: SyncTuning;
}

export interface SyncTuning {
  /** PBKDF2 iterations for a new database. */
  iterations?: number;
  /** How often a server that does not answer is asked again, in ms. */
  probeMs?: number;
  /** The first pause before a batch that failed is read again, in ms. */
  retryMs?: number;
  /** Local changes kept before sync runs, at most. */
  keptChanges?: number;
}

/** One running sync (registered as it starts): its databases, its queue, its feed and its replication. */
interface Running {
  config: SyncConfigRow;
  mirror: Mirror;
  server: Mirror;
  outgoing?: Subscription;
  feed?: IncomingFeed;
  replication?: ReturnType<Mirror['sync']>;
  /** While the server is gone: the next time it is asked. */
  probe?: ReturnType<typeof setTimeout>;
}

/** How often a server that does not answer is asked again (PouchDB's own retries back off to minutes). */
const OFFLINE_PROBE_MS = 10_000;

export class SyncService {
  readonly #options: SyncServiceOptions;
  #status: SyncStatus = { state: 'off' };
  #running: Running | undefined;
  /** Moved on by every enable, pause and disable: a start begun before gives up. */
  #generation = 0;

  constructor(options: SyncServiceOptions) {
    this.#options = options;
  }

  status(): SyncStatus {
    return this.#status;
  }

  /** Go on syncing after a restart, when sync was on (unless it was paused or turned off meanwhile). */
  async resume(): Promise<void> {
    const generation = this.#generation;
    const config = await this.#options.repository.syncStorage().getConfig();
    if (!config || this.#running || generation !== this.#generation) return;
    await this.#start(config, generation);
  }

  async enable(setup: SyncSetup): Promise<Result<SyncStatus>> {
    const generation = ++this.#generation;
    // A setup from before (another server, another passphrase) goes whole, its mirror with it:
    // whatever this attempt comes to, it is not resumed later behind an "off".
    await this.#forget();
    if (generation !== this.#generation) return ok(this.#status);
    const connected = await connectServer(setup, this.#options.pouch, this.#options.tuning?.iterations);
    if (generation !== this.#generation) return ok(this.#status); // turned off (or on again) meanwhile
    if (!connected.ok) {
      this.#publish({ state: 'off' });
      return connected;
    }
    const { server, derivation, keys } = connected.value;
    const config: SyncConfigRow = {
      key: 'sync',
      url: setup.url,
      username: setup.username,
      password: setup.password,
      derivation,
      keys,
      mirrorName: `parley-sync-${crypto.randomUUID()}`,
      appliedSeq: 0,
      settingsAt: 0,
    };
    try {
      // A disable from now on deletes the config after this write (IndexedDB keeps the order).
      await this.#options.repository.syncStorage().putConfig(config);
    } catch (error) {
      return fail('storage', `Sync could not be turned on: ${describeFailure(error).message}`);
    }
    await this.#start(config, generation, server);
    return ok(this.#status);
  }

  /** Replicate now: the live replication is restarted, which sends and asks at once. */
  async syncNow(): Promise<Result<void>> {
    const running = this.#running;
    if (!running?.replication) return fail('config', 'Sync is off. Turn it on in Settings → Sync.');
    running.replication.cancel();
    this.#replicate(running);
    return ok(undefined);
  }

  /** Stop here and keep the setup: this core steps aside (its database is being taken over). */
  async pause(): Promise<void> {
    this.#generation += 1;
    await this.#stop();
  }

  /** Stop, forget the server and the keys, and drop the mirror; Parley's own data stays. */
  async disable(): Promise<Result<void>> {
    this.#generation += 1;
    await this.#forget();
    this.#publish({ state: 'off' });
    return ok(undefined);
  }

  /** Stop, and delete the stored setup and its mirror. */
  async #forget(): Promise<void> {
    const storage = this.#options.repository.syncStorage();
    // The mirror of a sync still starting, or of one that never ran in this core.
    const stored = this.#running ? undefined : await storage.getConfig();
    const mirror = this.#running?.mirror ?? (stored ? this.#options.pouch.mirror(stored.mirrorName) : undefined);
    await this.#stop({ keepOpen: true });
    await storage.deleteConfig();
    await mirror?.destroy().catch(() => undefined);
  }

  /**
   * Start syncing with a stored config. `server`: the connection `enable` checked — a first sync,
   * which pushes everything held here before replicating.
   */
  async #start(config: SyncConfigRow, generation: number, server?: Mirror): Promise<void> {
    const { repository, bus, pouch, local, tuning } = this.#options;
    if (generation !== this.#generation) return;
    const mirror = pouch.mirror(config.mirrorName);
    const remote = server ?? pouch.server(config.url, { username: config.username, password: config.password });
    const running: Running = { config, mirror, server: remote };
    this.#running = running;
    const current = () => this.#running === running && generation === this.#generation;
    // A failure of a sync turned off meanwhile (its mirror dropped under it) is nobody's concern.
    const fail = (error: unknown) => {
      if (current()) this.#fail(describeFailure(error));
    };
    const outgoing = new Outgoing(mirror, config.keys, repository, new Set());
    const incoming = new Incoming({ mirror, keys: config.keys, repository, bus, outgoing });
    this.#publish({ state: 'syncing', url: config.url, username: config.username, lastSyncedAt: config.lastSyncedAt });

    // 1. The providers as they were before the first change Outgoing will handle.
    const providers = server
      ? repository.listProviders().then(
          (listed) => listed.map(({ id }) => id),
          () => [],
        )
      : local.providersAtStart;
    outgoing.knowProviders(await providers);
    if (!current()) return;
    // 2. Local changes: those kept since the core started, then each as it comes, one at a time.
    const queue = new Subject<CoreEvent>();
    running.outgoing = queue.pipe(concatMap((event) => outgoing.handle(event).catch(fail))).subscribe();
    const { reconcile } = local.attach((event) => queue.next(event));
    // 3. A first sync (or changes too many to keep) pushes everything held here.
    if (server || reconcile) {
      const progress = (done: number, total: number) => {
        if (server) this.#publish({ ...this.#status, state: 'syncing', progress: { done, total } });
      };
      await outgoing.pushEverything(progress, server).catch(fail);
    }
    if (!current()) return;
    // 4. The server's changes in, from where the last run left off; then replication, live.
    running.feed = new IncomingFeed({
      mirror,
      incoming,
      storage: repository.syncStorage(),
      retryMs: tuning?.retryMs,
      onApplied: (outcome, recovered) => {
        if (outcome.unreadable > 0) {
          this.#fail({
            kind: 'config',
            retryable: false,
            message: `${outcome.unreadable} items on the server were sealed with another passphrase and were left out. Every device must use the same passphrase.`,
          });
        } else if (recovered) void this.#settle(running);
      },
      onFailure: fail,
    });
    running.feed.start(config.appliedSeq);
    this.#replicate(running);
  }

  /** Live replication both ways, with the status following it. */
  #replicate(running: Running): void {
    const replication = running.mirror.sync(running.server, { live: true, retry: true, batch_size: 200 });
    running.replication = replication;
    replication
      .on('active', () => this.#publish({ ...this.#status, state: 'syncing' }))
      .on('change', (info) => {
        const change = info.change ?? {};
        if (info.direction === 'pull' && change.pending) {
          const done = change.docs_written ?? 0;
          this.#publish({ ...this.#status, state: 'syncing', progress: { done, total: done + change.pending } });
        }
      })
      .on('paused', () => void this.#settle(running))
      .on('denied', (error) => this.#fail(describeFailure(error)))
      .on('error', (error) => this.#fail(describeFailure(error)));
  }

  /**
   * Replication paused: up to date, or waiting to retry — PouchDB says no more. Asking the
   * server tells them apart: it answers (idle), it refuses the login (error), it is gone (offline).
   */
  async #settle(running: Running): Promise<void> {
    if (this.#running !== running) return;
    clearTimeout(running.probe);
    try {
      await running.server.info();
    } catch (error) {
      if (this.#running !== running) return;
      const failure = describeFailure(error);
      this.#publish({
        ...this.#status,
        state: failure.kind === 'network' ? 'offline' : 'error',
        error: failure,
        progress: undefined,
      });
      if (failure.kind === 'network') {
        running.probe = setTimeout(() => void this.#probe(running), this.#options.tuning?.probeMs ?? OFFLINE_PROBE_MS);
      }
      return;
    }
    if (this.#running !== running) return;
    const lastSyncedAt = Date.now();
    await this.#options.repository
      .syncStorage()
      .updateConfig((current) => ({ ...current, lastSyncedAt }))
      .catch(() => undefined);
    this.#publish({ state: 'idle', url: running.config.url, username: running.config.username, lastSyncedAt });
  }

  /** Ask a server that was gone; when it answers, replicate at once. */
  async #probe(running: Running): Promise<void> {
    if (this.#running !== running) return;
    try {
      await running.server.info();
    } catch {
      return this.#settle(running);
    }
    if (this.#running === running) await this.syncNow();
  }

  async #stop({ keepOpen = false } = {}): Promise<void> {
    const running = this.#running;
    this.#running = undefined;
    if (!running) return;
    this.#options.local.detach();
    clearTimeout(running.probe);
    running.replication?.cancel();
    running.feed?.stop();
    running.outgoing?.unsubscribe();
    if (!keepOpen) await running.mirror.close().catch(() => undefined);
  }

  #fail(error: ErrorInfo): void {
    this.#publish({ ...this.#status, state: error.kind === 'network' ? 'offline' : 'error', error, progress: undefined });
  }

  #publish(status: SyncStatus): void {
    if (status.state === 'idle' || status.state === 'off') delete status.error;
    this.#status = status;
    this.#options.bus.broadcast({ type: 'sync-status', status });
  }
}
