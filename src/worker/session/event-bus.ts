import { Subject, type Observable } from 'rxjs';
import type { CoreEvent, Message } from '../../shared/protocol';

/** An event and who should get it: everyone, or only the tabs viewing one conversation. */
export interface RoutedEvent {
  event: CoreEvent;
  /** Set for message traffic: only tabs with this conversation open receive it. */
  viewersOf?: string;
  /** With a `message-end`: the message with its text, for a tab that did not get the deltas. */
  ended?: Message;
}

/** The core's one event stream; every TabSession subscribes and filters for its tab. */
export class EventBus {
  readonly #subject = new Subject<RoutedEvent>();
  readonly events$: Observable<RoutedEvent> = this.#subject.asObservable();

  /** Send to every tab. */
  broadcast(event: CoreEvent): void {
    this.#subject.next({ event });
  }

  /** Send to the tabs viewing `conversationId`. */
  toViewers(conversationId: string, event: CoreEvent, ended?: Message): void {
    this.#subject.next({ event, viewersOf: conversationId, ...(ended ? { ended } : {}) });
  }
}
