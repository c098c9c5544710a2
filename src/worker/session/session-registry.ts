import { BehaviorSubject, type Observable } from 'rxjs';
import type { SessionState } from '../../shared/protocol';

/** How long a session nobody views keeps its transient state (quick tab switches keep it). */
export const SESSION_IDLE_MS = 5000;

/**
 * The live sessions, keyed by conversation, with the tabs' reference counts. State is dropped
 * a while after the last viewer leaves — unless a reply is still being written (`isBusy`).
 */
export class SessionRegistry {
  readonly #sessions = new BehaviorSubject<ReadonlyMap<string, SessionState>>(new Map());
  readonly #cleanupTimers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #idleMs: number;
  readonly #isBusy: (conversationId: string) => boolean;

  /** Every live session, keyed by conversation id. */
  readonly sessions$: Observable<ReadonlyMap<string, SessionState>> = this.#sessions.asObservable();

  constructor(options: { idleMs?: number; isBusy: (conversationId: string) => boolean }) {
    this.#idleMs = options.idleMs ?? SESSION_IDLE_MS;
    this.#isBusy = options.isBusy;
  }

  get(conversationId: string): SessionState | undefined {
    return this.#sessions.value.get(conversationId);
  }

  /** The session, created idle from the conversation's provider and model when missing. */
  ensure(conversationId: string, target: { providerId?: string; modelId?: string } = {}): SessionState {
    const existing = this.get(conversationId);
    if (existing) return existing;
    const state: SessionState = {
      conversationId,
      providerId: target.providerId ?? '',
      modelId: target.modelId ?? '',
      isLoading: false,
      runStatus: 'idle',
      streaming: null,
      sessionCost: 0,
      finishReason: null,
      subscriberCount: 0,
      lastActivity: Date.now(),
    };
    this.#publish((sessions) => sessions.set(conversationId, state));
    return state;
  }

  /** Change a live session; returns its new state. */
  update(conversationId: string, patch: Partial<SessionState>): SessionState {
    const current = this.get(conversationId);
    if (!current) throw new Error(`no session for ${conversationId}`);
    const state = { ...current, ...patch, lastActivity: Date.now() };
    this.#publish((sessions) => sessions.set(conversationId, state));
    return state;
  }

  /** A tab started viewing. */
  retain(conversationId: string, target?: { providerId?: string; modelId?: string }): SessionState {
    this.#cancelCleanup(conversationId);
    const session = this.ensure(conversationId, target);
    return this.update(conversationId, { subscriberCount: session.subscriberCount + 1 });
  }

  /** A tab stopped viewing. Never stops a run. */
  release(conversationId: string): void {
    const session = this.get(conversationId);
    if (!session) return;
    const subscriberCount = Math.max(0, session.subscriberCount - 1);
    this.update(conversationId, { subscriberCount });
    if (subscriberCount === 0) this.scheduleCleanup(conversationId);
  }

  /** Drop the session after the idle delay if nobody views it and nothing runs by then. */
  scheduleCleanup(conversationId: string): void {
    this.#cancelCleanup(conversationId);
    this.#cleanupTimers.set(
      conversationId,
      setTimeout(() => {
        this.#cleanupTimers.delete(conversationId);
        const session = this.get(conversationId);
        // A running reply keeps its session; the run's end schedules the cleanup again.
        if (!session || session.subscriberCount > 0 || this.#isBusy(conversationId)) return;
        this.delete(conversationId);
      }, this.#idleMs),
    );
  }

  /** Forget a session now (its conversation was deleted). */
  delete(conversationId: string): void {
    this.#cancelCleanup(conversationId);
    if (this.get(conversationId)) this.#publish((sessions) => sessions.delete(conversationId));
  }

  #cancelCleanup(conversationId: string): void {
    clearTimeout(this.#cleanupTimers.get(conversationId));
    this.#cleanupTimers.delete(conversationId);
  }

  /** Emit a new map: subscribers see immutable snapshots. */
  #publish(change: (sessions: Map<string, SessionState>) => void): void {
    const next = new Map(this.#sessions.value);
    change(next);
    this.#sessions.next(next);
  }
}
