import type * as Comlink from 'comlink';
import { BehaviorSubject, filter, firstValueFrom, Subject, type Observable, type Subscription } from 'rxjs';
import type { CoreEvent } from '../shared/protocol';
import { makeCoreClient, type AttachIdentity, type CoreClient } from './core-client';
import { OpenSessions } from './open-sessions';
import { ReconnectingApi, type Connection } from './reconnecting-api';

/** A core this tab is attached to. */
interface Attached extends Connection {
  readonly client: CoreClient;
  readonly events: Subscription;
  /** Ends this connection for the calls on it (another core took its place). */
  readonly end: () => void;
}

/**
 * The core as a tab uses it when the core can move: without SharedWorker it runs in one tab's
 * dedicated worker, and when that tab dies another tab's worker takes over. The UI keeps one
 * `api` and one `events$` for the tab's life; each new core is attached behind them (`use`).
 */
export class ReconnectingClient implements CoreClient {
  readonly api: ReconnectingApi;
  readonly events$: Observable<CoreEvent>;
  readonly tabId: string;
  /** Every core this client reaches is of its own build (the relay's names carry it). */
  readonly coreBuildId: string;
  /** Settles with the first connection: rejected when that core refuses the tab. */
  readonly connected: Promise<void>;

  readonly #identity: AttachIdentity;
  readonly #events = new Subject<CoreEvent>();
  readonly #current$ = new BehaviorSubject<Attached | undefined>(undefined);
  readonly #sessions = new OpenSessions();
  readonly #teardowns: Array<() => void> = [];
  #generation = 0;
  #closed = false;
  #settleConnected!: (error?: unknown) => void;

  constructor(identity: AttachIdentity) {
    this.#identity = identity;
    this.tabId = identity.tabId;
    this.coreBuildId = identity.buildId;
    this.events$ = this.#events.asObservable();
    this.connected = new Promise((resolve, reject) => {
      this.#settleConnected = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.api = new ReconnectingApi({
      current: () => this.#current$.value,
      next: () => firstValueFrom(this.#current$.pipe(filter((attached) => attached !== undefined))),
      sessions: this.#sessions,
    });
  }

  /**
   * Attach to the core on `endpoint`, in place of the one before; `lost` resolves when this one
   * is gone. Resolves true once attached, false when `lost` or a newer `use` came first.
   *
   * 1. The previous core is let go: calls in flight on it count as lost (ReconnectingApi), calls
   *    made from now on wait for this one.
   * 2. Attach with this tab's own lock (the core drops the tab's sessions when it dies) and
   *    subscribe to the events.
   * 3. In one synchronous step: this core becomes current, is told first that the tab is hidden
   *    if it is, every session the tab holds open is opened again, and every conversation the old
   *    core ran something in is refreshed — each answers with a `session-snapshot`, before any
   *    waiting call goes out. A reply that died with the old core shows as interrupted, with
   *    Resume.
   * 4. `lost`: let go of this core, unless a newer one replaced it already.
   */
  async use(endpoint: Comlink.Endpoint, lost: Promise<void>): Promise<boolean> {
    const generation = ++this.#generation;
    this.#letGo();
    let client: CoreClient | undefined;
    try {
      client = await Promise.race([makeCoreClient(endpoint, this.#identity), lost.then(() => undefined)]);
    } catch (error) {
      this.#settleConnected(error);
      throw error;
    }
    if (!client || generation !== this.#generation || this.#closed) return false;
    const events = client.events$.subscribe((event) => {
      this.#sessions.note(event);
      this.#events.next(event);
    });
    let end!: () => void;
    // Calls in flight are answered as lost when the core dies, or when another takes its place.
    const ended = Promise.race([lost, new Promise<void>((resolve) => (end = resolve))]);
    const attached: Attached = { api: client.api, lost: ended, client, events, end };
    void lost.then(() => {
      if (this.#current$.value === attached) this.#letGo();
    });
    const { reopen, refresh, hidden } = this.#sessions.takeReplay();
    const replayed = [
      ...(hidden ? [client.api.setHidden(true)] : []),
      ...reopen.map((conversationId) => client.api.openSession(conversationId)),
      ...refresh.flatMap((conversationId) => [client.api.openSession(conversationId), client.api.closeSession(conversationId)]),
    ];
    this.#current$.next(attached);
    this.#settleConnected();
    await Promise.race([Promise.all(replayed), lost]);
    return true;
  }

  #letGo(): void {
    const attached = this.#current$.value;
    if (!attached) return;
    attached.events.unsubscribe();
    attached.end();
    this.#current$.next(undefined);
  }

  /** Run `teardown` on `close` (what brings cores to this client stops with it). */
  onClose(teardown: () => void): void {
    this.#teardowns.push(teardown);
  }

  /**
   * The tab is going: first stop what brings cores here (a leader's relay stops at once), then
   * detach. Over a follower's link, closed by then, the detach does not arrive: the core drops
   * the tab's sessions when the tab's lock goes, a moment later.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const teardown of this.#teardowns.splice(0)) teardown();
    const attached = this.#current$.value;
    this.#letGo();
    if (attached) await Promise.race([attached.client.close(), attached.lost]);
    this.#events.complete();
  }
}
