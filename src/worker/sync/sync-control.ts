/**
 * The core's handle on sync. Sync's code — PouchDB included — is loaded only when sync is on
 * (turned on now, or found on at start), so a core that never syncs never pays for it. What it
 * does load at once is `LocalChanges`: the changes made before sync runs are kept for it.
 */
import type { Result, SyncSetup, SyncStatus } from '../../shared/protocol';
import { fail } from '../../shared/result';
import type { EventBus } from '../session/event-bus';
import type { Repository } from '../storage/repository';
import { LocalChanges } from './local-changes';
import type { PouchFactory } from './mirror';
import type { SyncService, SyncTuning } from './sync-service';

export interface SyncControlOptions {
  repository: Repository;
  bus: EventBus;
  /** The browser's PouchDB unless a test brings its own (memory). */
  pouch?: () => Promise<PouchFactory>;
  tuning?: SyncTuning;
}

export class SyncControl {
  readonly #options: SyncControlOptions;
  readonly #local: LocalChanges;
  #service: Promise<SyncService> | undefined;
  /** Moved on by enable, pause and disable: a resume still loading sync's code gives up. */
  #generation = 0;

  constructor(options: SyncControlOptions) {
    this.#options = options;
    this.#local = new LocalChanges(options.bus, options.repository, options.tuning?.keptChanges);
  }

  #load(): Promise<SyncService> {
    this.#service ??= (async () => {
      const pouch = this.#options.pouch ?? (() => import('./pouch').then((module) => module.browserPouch));
      const [{ SyncService }, factory] = await Promise.all([import('./sync-service'), pouch()]);
      return new SyncService({ ...this.#options, pouch: factory, local: this.#local });
    })();
    return this.#service;
  }

  /**
   * On start: go on syncing if sync was on. Changes made meanwhile — replies the start ended as
   * interrupted, a rename a tab sent at once — were kept by `LocalChanges` and are sent first.
   */
  async resume(): Promise<void> {
    const generation = this.#generation;
    const config = await this.#options.repository.syncStorage().getConfig();
    if (!config || generation !== this.#generation) {
      this.#local.dropUnlessAttached();
      return;
    }
    const service = await this.#load();
    if (generation === this.#generation) await service.resume();
  }

  async status(): Promise<SyncStatus> {
    return this.#service ? (await this.#service).status() : { state: 'off' };
  }

  async enable(setup: SyncSetup): Promise<Result<SyncStatus>> {
    this.#generation += 1;
    return (await this.#load()).enable(setup);
  }

  async syncNow(): Promise<Result<void>> {
    if (!this.#service) return fail('config', 'Sync is off. Turn it on in Settings → Sync.');
    return (await this.#service).syncNow();
  }

  /** Stop syncing from this core, keeping the setup for the next one (sync stays on). */
  async pause(): Promise<void> {
    this.#generation += 1;
    this.#local.detach();
    if (this.#service) await (await this.#service).pause();
  }

  /** Turn sync off, here and for the next start: even while it is still starting. */
  async disable(): Promise<Result<void>> {
    this.#generation += 1;
    this.#local.detach();
    if (!this.#service && !(await this.#options.repository.syncStorage().getConfig())) return { ok: true, value: undefined };
    return (await this.#load()).disable();
  }
}
