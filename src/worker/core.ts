import type { CoreEvent } from '../shared/protocol';
import { Catalog } from './catalog';
import { DataTransfer } from './data-transfer';
import { watchBuildSkew } from './lifecycle/build-skew';
import { Connectivity } from './lifecycle/connectivity';
import type { LockRequester } from './lifecycle/tab-liveness';
import { EventBus } from './session/event-bus';
import type { GenerationTimings } from './session/generation';
import { SessionManager } from './session/session-manager';
import { Repository } from './storage/repository';

export interface CoreOptions {
  buildId: string;
  databaseName?: string;
  /** Web Locks (`navigator.locks`) in a browser; absent, dead tabs are only noticed on `detach`. */
  locks?: LockRequester;
  timings?: Partial<GenerationTimings>;
  /** How long an unviewed session keeps its state. */
  idleMs?: number;
  /** Tell other builds' cores that this one started (the browser entries do; tests don't). */
  announceBuild?: boolean;
}

/** One per worker: storage, catalog, sessions and the event bus, started in order. */
export class Core {
  #dataTransfer: DataTransfer | undefined;

  private constructor(
    readonly options: CoreOptions,
    readonly repository: Repository,
    readonly bus: EventBus,
    readonly catalog: Catalog,
    readonly sessions: SessionManager,
    readonly connectivity: Connectivity,
  ) {}

  /** Export and import of everything (Settings → Data). */
  get dataTransfer(): DataTransfer {
    return (this.#dataTransfer ??= new DataTransfer(this.repository, this.bus));
  }

  /**
   * 1. Open the database (running upgrades); a newer build asking for it makes us tell every
   *    tab `core-outdated`.
   * 2. Replies left `streaming` by a worker that died become `interrupted`.
   * 3. Only then are tab calls served; the active provider is probed in the background.
   */
  static async start(options: CoreOptions): Promise<Core> {
    const bus = new EventBus();
    const outdated = (reason: string): void => bus.broadcast({ type: 'core-outdated', reason } satisfies CoreEvent);
    const repository = await Repository.open(options.databaseName ?? 'parley', {
      onVersionChange: () => outdated('A newer version of Parley has been opened in another tab. Reload to use it.'),
    });
    await repository.markStreamingInterrupted(Date.now());
    const connectivity = new Connectivity(bus);
    const catalog = new Catalog(repository, bus, connectivity);
    connectivity.setProbe(() => catalog.activeProviderReachable());
    const sessions = new SessionManager(repository, catalog, bus, {
      timings: options.timings,
      idleMs: options.idleMs,
      connectivity,
    });
    if (options.announceBuild) {
      watchBuildSkew(options.buildId, () => outdated('A newer version of Parley is open in another tab. Reload to use it.'));
    }
    // Know early whether the provider answers, so a tab opened offline says so.
    void connectivity.check();
    return new Core(options, repository, bus, catalog, sessions, connectivity);
  }
}
