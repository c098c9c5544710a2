import { filter, type Subscription } from 'rxjs';
import type { CoreEvent, EventPort } from '../../shared/protocol';
import type { EventBus } from './event-bus';

/**
 * What one tab receives on its event port: every broadcast, and the message traffic of the
 * conversations it has open (counted: two views of the tab may show one conversation). While the tab cannot be seen it gets no deltas; a reply that ends
 * meanwhile arrives whole with its end, and the tab's open conversations come as snapshots
 * when it is shown again (`TabSession.setHidden`).
 */
export class TabFeed {
  /** Conversation id → how many times this tab opened it. */
  readonly #open = new Map<string, number>();
  #port: EventPort | undefined;
  #subscription: Subscription | undefined;
  #hidden = false;
  /** Replies whose deltas this hidden tab did not get: their end comes with their text. */
  readonly #missed = new Set<string>();

  /** Events flow from `bus` to `port` from now on (a second call replaces the first port). */
  connect(bus: EventBus, port: EventPort): void {
    this.disconnect();
    this.#port = port;
    // A post to a dead tab's port goes nowhere; nothing waits for an answer.
    this.#subscription = bus.events$
      .pipe(filter(({ viewersOf }) => viewersOf === undefined || this.#open.has(viewersOf)))
      .subscribe(({ event, ended }) => {
        if (event.type === 'message-delta' && this.#hidden) {
          this.#missed.add(event.messageId);
          return;
        }
        // A reply that ended while the tab was hidden: its text first, so the end finds it whole.
        if (event.type === 'message-end' && ended && this.#missed.delete(ended.id)) {
          port.postMessage({ type: 'message-upsert', conversationId: event.conversationId, message: ended });
        }
        port.postMessage(event);
      });
  }

  /** Returns whether this is the tab's first view of the conversation (it then holds a session reference). */
  open(conversationId: string): boolean {
    const count = this.#open.get(conversationId) ?? 0;
    this.#open.set(conversationId, count + 1);
    return count === 0;
  }

  /** Returns whether that was the tab's last view of the conversation (its reference goes). */
  close(conversationId: string): boolean {
    const count = this.#open.get(conversationId) ?? 0;
    if (count > 1) this.#open.set(conversationId, count - 1);
    else this.#open.delete(conversationId);
    return count === 1;
  }

  isOpen(conversationId: string): boolean {
    return this.#open.has(conversationId);
  }

  /** The conversations the tab has open, each once. */
  openConversations(): string[] {
    return [...this.#open.keys()];
  }

  /** Stops the events and forgets every view: returns each conversation once per view it had. */
  end(): string[] {
    this.disconnect();
    const views = [...this.#open].flatMap(([conversationId, count]) => Array<string>(count).fill(conversationId));
    this.#open.clear();
    return views;
  }

  /** An event for this tab alone (a snapshot, import progress). */
  post(event: CoreEvent): void {
    this.#port?.postMessage(event);
  }

  /**
   * Returns whether the tab became visible, when it must be sent a snapshot of each open
   * conversation: each holds the text of the reply it streams, so nothing is missed any more.
   */
  setHidden(hidden: boolean): boolean {
    if (this.#hidden === hidden) return false;
    this.#hidden = hidden;
    if (hidden) return false;
    this.#missed.clear();
    return true;
  }

  disconnect(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#port?.close();
    this.#port = undefined;
  }
}
