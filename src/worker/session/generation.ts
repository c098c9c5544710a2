import type OpenAI from 'openai';
import type {
  Conversation,
  ErrorInfo,
  Message,
  ModelPricing,
  Provider,
  RetryInfo,
  RunStatus,
  Usage,
} from '../../shared/protocol';
import { addUsage, replyCost } from '../../shared/pricing';
import { isReachable, streamChat, type ChatTurn, type StreamOutcome } from '../providers/client';
import { classifyProviderError } from '../providers/errors';
import type { Repository } from '../storage/repository';
import { toStorageError } from '../storage/errors';

/** Timings of a run; tests shorten them. */
export interface GenerationTimings {
  /** Deltas are coalesced into at most one batch per this many ms (~one animation frame). */
  batchIntervalMs: number;
  /** The partial reply is written to IndexedDB at most this often. */
  checkpointIntervalMs: number;
  /** Retries before the first token. */
  maxRetries: number;
  /** Backoff before retry n is `retryBaseMs * 2^(n-1)` unless the provider says otherwise. */
  retryBaseMs: number;
  /** A `retry-after` longer than this is not waited for: the run ends with the error. */
  maxRetryAfterMs: number;
  /** No bytes for this long ends the stream as stalled. */
  stallTimeoutMs: number;
  /** While the provider is unreachable, probe it after this long, doubling up to the max. */
  reachabilityBaseMs: number;
  reachabilityMaxMs: number;
}

export const DEFAULT_TIMINGS: GenerationTimings = {
  batchIntervalMs: 16,
  checkpointIntervalMs: 250,
  maxRetries: 3,
  retryBaseMs: 1000,
  maxRetryAfterMs: 60_000,
  stallTimeoutMs: 60_000,
  reachabilityBaseMs: 1000,
  reachabilityMaxMs: 10_000,
};

/** What a run reports to the session manager, which owns session state and events. */
export interface GenerationHost {
  status(status: RunStatus, extra?: { error?: ErrorInfo; retry?: RetryInfo }): void;
  /** The provider answered (true) or could not be reached (false). */
  reachable(reachable: boolean): void;
  /** A coalesced batch of new text. */
  delta(text: string, reasoning: string): void;
  /** The run is over and `message` is its stored (or, when storage failed, unsaved) final form. */
  end(message: Message, conversation: Conversation | undefined, cost: number, usage: Usage | undefined): void;
}

/** Everything one run needs, fixed when it starts. */
export interface GenerationSetup {
  conversationId: string;
  provider: Provider;
  client: OpenAI;
  modelId: string;
  pricing?: ModelPricing;
  /** The assistant row being written; on resume it already holds the earlier text. */
  message: Message;
  /** The conversation as the provider should see it, ending with the user's turn (or, on resume, the partial reply). */
  turns: ChatTurn[];
}

/**
 * One reply being generated: streams, coalesces deltas, checkpoints, retries, and writes the
 * end state once. Order of events:
 *  1. `start()` → status `starting`; the request goes out.
 *  2. Errors before any text → `retrying` n/maxRetries after a backoff, then again from 1.
 *  3. Text → batched `delta`s every `batchIntervalMs`; a checkpoint every `checkpointIntervalMs`.
 *  4. End (finish, stop, error, or the conversation deleted) → pending text flushed, timers
 *     cleared, ONE final write, `end` reported.
 */
export class Generation {
  readonly #setup: GenerationSetup;
  readonly #repository: Repository;
  readonly #host: GenerationHost;
  readonly #timings: GenerationTimings;
  readonly #controller = new AbortController();
  #content: string;
  #reasoning: string;
  #receivedText = false;
  #pendingText = '';
  #pendingReasoning = '';
  #batchTimer: ReturnType<typeof setTimeout> | undefined;
  #checkpointTimer: ReturnType<typeof setTimeout> | undefined;
  #checkpointInFlight: Promise<unknown> | undefined;
  #lastCheckpointAt = 0;
  #discarded = false;
  /** Resolves when the run has ended and its final state is written (set by `start`). */
  done: Promise<void> = Promise.resolve();

  constructor(setup: GenerationSetup, repository: Repository, host: GenerationHost, timings: GenerationTimings) {
    this.#setup = setup;
    this.#repository = repository;
    this.#host = host;
    this.#timings = timings;
    this.#content = setup.message.content;
    this.#reasoning = setup.message.reasoning ?? '';
  }

  /** Send the request; `done` settles when the run has ended and is stored. */
  start(): Promise<void> {
    this.done = this.#run();
    return this.done;
  }

  get messageId(): string {
    return this.#setup.message.id;
  }

  /** Stop at the user's request: the partial is kept as `stopped`. */
  stop(): void {
    this.#controller.abort();
  }

  /** Stop because the conversation is gone: nothing more is written. */
  discard(): void {
    this.#discarded = true;
    this.#controller.abort();
  }

  async #run(): Promise<void> {
    const timings = this.#timings;
    let outcome: StreamOutcome | undefined;
    let failure: ErrorInfo | undefined;
    let attempt = 0;
    for (;;) {
      this.#host.status('starting');
      try {
        outcome = await streamChat(this.#setup.client, this.#setup.modelId, this.#setup.turns, {
          signal: this.#controller.signal,
          stallTimeoutMs: timings.stallTimeoutMs,
          onDelta: (delta) => this.#onDelta(delta.text, delta.reasoning),
        });
        this.#host.reachable(true);
        break;
      } catch (error) {
        failure = await classifyProviderError(error, {
          provider: this.#setup.provider,
          model: this.#setup.modelId,
          receivedText: this.#receivedText,
        });
        if (failure.kind === 'network' && !this.#receivedText) {
          // Offline: the message waits, visibly, and goes out once the provider answers.
          // Waiting doesn't use up retries; only the user stopping it ends the wait.
          this.#host.reachable(false);
          this.#host.status('waiting', { error: failure });
          if (!(await this.#waitUntilReachable())) {
            failure = { kind: 'aborted', retryable: false, message: 'The reply was stopped.' };
            break;
          }
          this.#host.reachable(true);
          failure = undefined;
          continue;
        }
        const delayMs = this.#retryDelay(failure, attempt);
        if (delayMs === undefined) break;
        const retry: RetryInfo = { attempt: attempt + 1, maxAttempts: timings.maxRetries, delayMs, error: failure };
        this.#host.status('retrying', { retry, error: failure });
        if (!(await this.#wait(delayMs))) {
          failure = { kind: 'aborted', retryable: false, message: 'The reply was stopped.' };
          break;
        }
        attempt++;
        failure = undefined;
      }
    }
    await this.#finish(outcome, failure);
  }

  /** How long to wait before retrying, or undefined when this failure ends the run. */
  #retryDelay(failure: ErrorInfo, attempt: number): number | undefined {
    if (this.#receivedText || !failure.retryable || attempt >= this.#timings.maxRetries) return undefined;
    if (failure.kind === 'malformed-stream' || failure.kind === 'timeout') return undefined;
    if (failure.retryAfterMs !== undefined) {
      return failure.retryAfterMs <= this.#timings.maxRetryAfterMs ? failure.retryAfterMs : undefined;
    }
    return this.#timings.retryBaseMs * 2 ** attempt;
  }

  /** Probe the provider with growing pauses until it answers (true) or the run is stopped (false). */
  async #waitUntilReachable(): Promise<boolean> {
    for (let delay = this.#timings.reachabilityBaseMs; ; delay = Math.min(delay * 2, this.#timings.reachabilityMaxMs)) {
      if (!(await this.#wait(delay))) return false;
      if (await isReachable(this.#setup.client, this.#controller.signal)) return true;
    }
  }

  /** Resolves true after `ms`, or false as soon as the run is stopped. */
  #wait(ms: number): Promise<boolean> {
    const signal = this.#controller.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #onDelta(text: string, reasoning: string): void {
    if (this.#controller.signal.aborted) return;
    if (!this.#receivedText) {
      this.#receivedText = true;
      this.#host.status('streaming');
    }
    this.#content += text;
    this.#reasoning += reasoning;
    this.#pendingText += text;
    this.#pendingReasoning += reasoning;
    this.#batchTimer ??= setTimeout(() => this.#flush(), this.#timings.batchIntervalMs);
    this.#checkpointTimer ??= setTimeout(
      () => this.#checkpoint(),
      Math.max(0, this.#lastCheckpointAt + this.#timings.checkpointIntervalMs - Date.now()),
    );
  }

  /** Send the coalesced text to the tabs. */
  #flush(): void {
    clearTimeout(this.#batchTimer);
    this.#batchTimer = undefined;
    if (!this.#pendingText && !this.#pendingReasoning) return;
    const text = this.#pendingText;
    const reasoning = this.#pendingReasoning;
    this.#pendingText = '';
    this.#pendingReasoning = '';
    this.#host.delta(text, reasoning);
  }

  /** Write the partial reply, so a crash loses at most one interval of text. */
  #checkpoint(): void {
    this.#checkpointTimer = undefined;
    // One write at a time: if the last one is still going, the next timer picks up the text.
    if (this.#checkpointInFlight || this.#controller.signal.aborted) return;
    this.#lastCheckpointAt = Date.now();
    const { id } = this.#setup.message;
    this.#checkpointInFlight = this.#repository
      .checkpointMessage(id, this.#content, this.#reasoning, this.#lastCheckpointAt)
      .catch(() => {
        // A failed checkpoint (quota) loses nothing yet: the text is in memory and the final
        // write reports the storage error if it fails too.
      })
      .finally(() => {
        this.#checkpointInFlight = undefined;
      });
  }

  async #finish(outcome: StreamOutcome | undefined, failure: ErrorInfo | undefined): Promise<void> {
    clearTimeout(this.#checkpointTimer);
    this.#checkpointTimer = undefined;
    this.#flush();
    await this.#checkpointInFlight;
    if (this.#discarded) return;

    const stopped = failure?.kind === 'aborted';
    const previous = this.#setup.message;
    const runUsage = outcome?.usage;
    const cost = runUsage ? replyCost(runUsage, this.#setup.pricing, outcome?.reportedCost) : 0;
    const now = Date.now();
    const message: Message = {
      ...previous,
      content: this.#content,
      status: stopped ? 'stopped' : failure ? 'error' : 'complete',
      finishReason: stopped ? (previous.finishReason ?? null) : failure ? 'error' : (outcome?.finishReason ?? 'stop'),
      updatedAt: now,
    };
    if (this.#reasoning) message.reasoning = this.#reasoning;
    if (failure && !stopped) message.error = failure;
    else delete message.error;
    if (runUsage) message.usage = previous.usage ? addUsage(previous.usage, runUsage) : runUsage;
    if (runUsage) message.cost = (previous.cost ?? 0) + cost;

    let conversation: Conversation | undefined;
    try {
      const stored = await this.#repository.getConversation(this.#setup.conversationId);
      if (stored) {
        conversation = {
          ...stored,
          updatedAt: now,
          usage: runUsage ? addUsage(stored.usage, runUsage) : stored.usage,
          cost: stored.cost + cost,
        };
        const written = await this.#repository.finishRun(message, conversation);
        if (!written) conversation = undefined;
      }
    } catch (error) {
      // The reply stays on screen (and in memory) with the storage error attached.
      message.status = 'error';
      message.error = toStorageError(error);
    }
    this.#host.end(message, conversation, cost, runUsage);
  }
}
