/**
 * The mirror's changes feed, in batches, into Parley's stores (`Incoming`), never past a batch
 * that was not applied. Order of events:
 *  1. The feed starts after the stored `appliedSeq`; changes gather into batches (≤200, 50 ms).
 *  2. One batch at a time is merged; only then is its last sequence stored.
 *  3. A batch that fails (or a feed that breaks) stops the feed: the batches queued behind it
 *     are dropped, and after a pause (doubling, up to a minute) the feed starts again from the
 *     stored sequence — the failed batch comes again, and nothing after it is lost.
 */
import { bufferTime, concatMap, filter, Subject, type Subscription } from 'rxjs';
import type { SyncStorage } from '../storage/sync-storage';
import type { BatchOutcome, Incoming } from './incoming';
import type { Mirror, MirrorChange } from './mirror';

export interface IncomingFeedOptions {
  mirror: Mirror;
  incoming: Pick<Incoming, 'apply'>;
  storage: SyncStorage;
  /** A batch was applied: what it held that these keys could not open, and whether it ends a failure. */
  onApplied(outcome: BatchOutcome, recovered: boolean): void;
  onFailure(error: unknown): void;
  /** The first pause before starting again, in ms. */
  retryMs?: number;
}

const RETRY_MS = 1000;
const RETRY_MAX_MS = 60_000;

/** One run of the feed, from one sequence, until it stops or fails. */
interface FeedRun {
  changes: ReturnType<Mirror['changes']>;
  subscription?: Subscription;
}

export class IncomingFeed {
  readonly #options: IncomingFeedOptions;
  #run: FeedRun | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #delay: number;
  #failing = false;
  #stopped = false;

  constructor(options: IncomingFeedOptions) {
    this.#options = options;
    this.#delay = options.retryMs ?? RETRY_MS;
  }

  start(since: string | number): void {
    if (this.#stopped) return;
    const batches = new Subject<MirrorChange>();
    const changes = this.#options.mirror.changes({
      since,
      live: true,
      include_docs: true,
      conflicts: true,
      style: 'all_docs',
      return_docs: false,
    });
    const run: FeedRun = { changes };
    this.#run = run;
    changes.on('change', (change) => batches.next(change)).on('error', (error) => this.#fail(run, error));
    run.subscription = batches
      .pipe(
        bufferTime(50, null, 200),
        filter((batch) => batch.length > 0),
        concatMap((batch) => this.#apply(run, batch)),
      )
      .subscribe();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#halt();
  }

  async #apply(run: FeedRun, batch: MirrorChange[]): Promise<void> {
    if (this.#run !== run) return; // behind a failed batch: the next run reads it again
    const { incoming, storage, onApplied } = this.#options;
    try {
      const outcome = await incoming.apply(batch);
      await storage.updateConfig((current) => ({ ...current, appliedSeq: outcome.lastSeq }));
      const recovered = this.#failing;
      this.#failing = false;
      this.#delay = this.#options.retryMs ?? RETRY_MS;
      if (this.#run === run) onApplied(outcome, recovered);
    } catch (error) {
      this.#fail(run, error);
    }
  }

  #fail(run: FeedRun, error: unknown): void {
    if (this.#run !== run) return;
    this.#halt();
    this.#retryLater(error);
  }

  #retryLater(error: unknown): void {
    this.#failing = true;
    this.#options.onFailure(error);
    this.#retry = setTimeout(() => void this.#restart(), this.#delay);
    this.#delay = Math.min(this.#delay * 2, RETRY_MAX_MS);
  }

  async #restart(): Promise<void> {
    let config;
    try {
      config = await this.#options.storage.getConfig();
    } catch (error) {
      if (!this.#stopped) this.#retryLater(error);
      return;
    }
    // Turned off meanwhile, or started again by someone else.
    if (this.#stopped || this.#run || !config) return;
    this.start(config.appliedSeq);
  }

  #halt(): void {
    const run = this.#run;
    this.#run = undefined;
    run?.changes.cancel();
    run?.subscription?.unsubscribe();
  }
}
