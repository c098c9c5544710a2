import type { ErrorInfo, Message, RetryInfo, RunStatus, SessionState, Usage } from '../../shared/protocol';
import type { Connectivity } from '../providers/connectivity';
import type { EventBus } from './event-bus';
import type { Generation, GenerationHost } from './generation';

/** How long a session nobody views keeps its transient state (quick tab switches keep it). */
export const SESSION_IDLE_MS = 5000;

/** What a session remembers between runs. The reply being written is its run's, not here. */
interface SessionEntry {
  runStatus: RunStatus;
  usage?: Usage;
  sessionCost: number;
  sessionCostUnknown?: boolean;
  lastError?: ErrorInfo;
  retry?: RetryInfo;
  /** Tabs holding the session open. */
  viewers: number;
}

export interface SessionsOptions {
  bus: EventBus;
  connectivity?: Connectivity;
  idleMs?: number;
  /** The conversation's running reply, if any (owned by `Runs`). */
  runOf: (conversationId: string) => Generation | undefined;
}

/**
 * The live sessions, keyed by conversation: what every tab viewing one shares, and the tabs'
 * reference counts. A session's state is dropped a while after its last viewer leaves — unless a
 * reply is still being written. It also turns a run's progress into that state and the events
 * the tabs get (`reporterFor`).
 */
export class Sessions {
  readonly #entries = new Map<string, SessionEntry>();
  readonly #cleanupTimers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #bus: EventBus;
  readonly #connectivity: Connectivity | undefined;
  readonly #idleMs: number;
  readonly #runOf: SessionsOptions['runOf'];

  constructor(options: SessionsOptions) {
    this.#bus = options.bus;
    this.#connectivity = options.connectivity;
    this.#idleMs = options.idleMs ?? SESSION_IDLE_MS;
    this.#runOf = options.runOf;
  }

  /** The session as a tab sees it (the snapshot a late joiner gets), if it is live. */
  state(conversationId: string): SessionState | undefined {
    const entry = this.#entries.get(conversationId);
    if (!entry) return undefined;
    const { viewers: _viewers, ...shared } = entry;
    return { conversationId, ...shared, streaming: this.#runOf(conversationId)?.snapshot() ?? null };
  }

  /** How many tabs hold the session open (0 when it is not live). */
  viewers(conversationId: string): number {
    return this.#entries.get(conversationId)?.viewers ?? 0;
  }

  /** A tab started viewing. */
  retain(conversationId: string): void {
    this.#cancelCleanup(conversationId);
    this.#ensure(conversationId).viewers += 1;
  }

  /** A tab stopped viewing. Never stops a run; drops the state a while after the last viewer. */
  release(conversationId: string): void {
    const entry = this.#entries.get(conversationId);
    if (!entry) return;
    entry.viewers = Math.max(0, entry.viewers - 1);
    if (entry.viewers === 0) this.#scheduleCleanup(conversationId);
  }

  /** Forget a session now (its conversation was deleted). */
  forget(conversationId: string): void {
    this.#cancelCleanup(conversationId);
    this.#entries.delete(conversationId);
  }

  /**
   * A run starts writing `message`: the session shows it, its viewers get `message-start`, and
   * the returned host carries the run's progress from here to its end.
   */
  runStarted(conversationId: string, message: Message): GenerationHost {
    Object.assign(this.#ensure(conversationId), { runStatus: 'starting', lastError: undefined, retry: undefined });
    this.#bus.toViewers(conversationId, { type: 'message-start', conversationId, message });
    return this.#reporterFor(conversationId);
  }

  #reporterFor(conversationId: string): GenerationHost {
    const entry = () => this.#ensure(conversationId);
    return {
      reachable: (reachable) => this.#connectivity?.report(reachable),
      status: (status, extra) => {
        const session = Object.assign(entry(), { runStatus: status, retry: extra?.retry, lastError: extra?.error });
        this.#bus.broadcast({ type: 'run-status', conversationId, status, ...costOf(session), ...extra });
      },
      delta: ({ messageId, seq, text, reasoning, reasoningMs }) => {
        this.#bus.toViewers(conversationId, {
          type: 'message-delta',
          messageId,
          seq,
          text,
          ...(reasoning ? { reasoning } : {}),
          ...(reasoningMs === undefined ? {} : { reasoningMs }),
          // Benchmark builds only: when the batch left the core (bench/ fan-out latency).
          ...(__BENCH__ ? { sentAt: performance.timeOrigin + performance.now() } : {}),
        });
      },
      end: ({ message, conversation, cost, usage, costUnknown }) => {
        const status = message.status === 'complete' ? 'complete' : message.status === 'stopped' ? 'stopped' : 'error';
        const session = entry();
        Object.assign(session, {
          runStatus: status,
          usage: usage ?? session.usage,
          sessionCost: session.sessionCost + cost,
          lastError: message.error,
          retry: undefined,
        });
        if (costUnknown) session.sessionCostUnknown = true;
        const { content, reasoning, ...ending } = message;
        this.#bus.toViewers(
          conversationId,
          {
            type: 'message-end',
            conversationId,
            message: { ...ending, contentLength: content.length, reasoningLength: reasoning?.length ?? 0 },
          },
          message,
        );
        this.#bus.broadcast({
          type: 'run-status',
          conversationId,
          status,
          ...costOf(session),
          ...(usage ? { usage } : {}),
          ...(message.error ? { error: message.error } : {}),
        });
        if (conversation) this.#bus.broadcast({ type: 'conversation-upsert', conversation });
        if (session.viewers === 0) this.#scheduleCleanup(conversationId);
      },
    };
  }

  #ensure(conversationId: string): SessionEntry {
    let entry = this.#entries.get(conversationId);
    if (!entry) {
      entry = { runStatus: 'idle', sessionCost: 0, viewers: 0 };
      this.#entries.set(conversationId, entry);
    }
    return entry;
  }

  /** Drop the session after the idle delay if nobody views it and nothing runs by then. */
  #scheduleCleanup(conversationId: string): void {
    this.#cancelCleanup(conversationId);
    const timer = setTimeout(() => {
      this.#cleanupTimers.delete(conversationId);
      // A running reply keeps its session; the run's end schedules the cleanup again.
      if (this.viewers(conversationId) > 0 || this.#runOf(conversationId)) return;
      this.#entries.delete(conversationId);
    }, this.#idleMs);
    this.#cleanupTimers.set(conversationId, timer);
  }

  #cancelCleanup(conversationId: string): void {
    clearTimeout(this.#cleanupTimers.get(conversationId));
    this.#cleanupTimers.delete(conversationId);
  }
}

/** A session's cost as `run-status` carries it. */
function costOf(session: SessionEntry): { sessionCost: number; sessionCostUnknown?: boolean } {
  return session.sessionCostUnknown
    ? { sessionCost: session.sessionCost, sessionCostUnknown: true }
    : { sessionCost: session.sessionCost };
}
