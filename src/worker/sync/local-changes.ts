/**
 * The core's changes that sync must send, heard from the moment the core starts. Sync itself
 * starts later (its config is read, PouchDB is loaded, the writer lock may be held by another
 * core), and the bus does not replay: a rename made meanwhile would never reach the server.
 *
 * 1. From the start every event that changes what the server should hold is kept, in order,
 *    until sync is found off (then they are dropped) or running.
 * 2. The running sync takes what was kept, then each event as it comes (`attach`).
 * 3. Past `LOCAL_CHANGES_LIMIT` events the records are dropped — a full push finds them again
 *    as they are stored, so the running sync is asked for one (`reconcile`) — and only what a
 *    full push cannot find is kept: deletions, the last provider list (a provider that went is
 *    missing from it) and the last settings.
 */
import { filter, map } from 'rxjs';
import type { CoreEvent } from '../../shared/protocol';
import type { EventBus } from '../session/event-bus';
import type { Repository } from '../storage/repository';

/** The events that change what the server should hold. */
const OUTGOING = new Set<CoreEvent['type']>([
  'conversation-upsert',
  'conversations-upsert',
  'message-upsert',
  'message-end',
  'message-delete',
  'conversation-delete',
  'providers-change',
  'settings-change',
]);

/** What a full push cannot find again: kept whatever the count. */
const KEPT_PAST_LIMIT = new Set<CoreEvent['type']>([
  'message-delete',
  'conversation-delete',
  'providers-change',
  'settings-change',
]);

/** Each of these says everything there is: only the last one is kept. */
const LATEST_ONLY = new Set<CoreEvent['type']>(['providers-change', 'settings-change']);

/** Events kept before sync runs, at most. */
const LOCAL_CHANGES_LIMIT = 1000;

/** What the running sync takes over. */
export interface Handover {
  /** Too many changes to keep came before sync ran: push everything, compared, once. */
  reconcile: boolean;
}

export class LocalChanges {
  #state: 'keeping' | 'attached' | 'off' = 'keeping';
  #events: CoreEvent[] = [];
  #reconcile = false;
  #consumer: ((event: CoreEvent) => void) | undefined;
  readonly #limit: number;
  /** The providers as the core started: one missing from a later list was deleted here. */
  readonly providersAtStart: Promise<string[]>;

  constructor(bus: EventBus, repository: Repository, limit = LOCAL_CHANGES_LIMIT) {
    this.#limit = limit;
    // Read before any change can be made: IndexedDB runs a later write after this read.
    this.providersAtStart = repository.listProviders().then(
      (providers) => providers.map((provider) => provider.id),
      () => [],
    );
    bus.events$
      .pipe(
        map(({ event }) => event),
        filter((event) => OUTGOING.has(event.type)),
      )
      .subscribe((event) => this.#receive(event));
  }

  /** Hand over what was kept (synchronously, in order), then every event as it comes. */
  attach(consumer: (event: CoreEvent) => void): Handover {
    const handover = { reconcile: this.#reconcile };
    const events = this.#events;
    this.#events = [];
    this.#reconcile = false;
    this.#state = 'attached';
    this.#consumer = consumer;
    for (const event of events) consumer(event);
    return handover;
  }

  /** Sync stopped (turned off, or this core stepped aside): nothing more is kept. */
  detach(): void {
    this.#state = 'off';
    this.#consumer = undefined;
    this.#events = [];
    this.#reconcile = false;
  }

  /** Sync was found off at start: what was kept is dropped (turning it on pushes everything). */
  dropUnlessAttached(): void {
    if (this.#state === 'keeping') this.detach();
  }

  #receive(event: CoreEvent): void {
    if (this.#state === 'attached') return this.#consumer?.(event);
    if (this.#state === 'off') return;
    if (this.#reconcile && !KEPT_PAST_LIMIT.has(event.type)) return;
    if (LATEST_ONLY.has(event.type)) this.#events = this.#events.filter((kept) => kept.type !== event.type);
    this.#events.push(event);
    if (!this.#reconcile && this.#events.length > this.#limit) {
      this.#reconcile = true;
      this.#events = this.#events.filter((kept) => KEPT_PAST_LIMIT.has(kept.type));
    }
  }
}
