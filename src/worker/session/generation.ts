import type OpenAI from 'openai';
import { asyncScheduler, auditTime, buffer, exhaustMap, Subject, throttleTime, type Subscription } from 'rxjs';
import type {
  Conversation,
  ErrorInfo,
  Message,
  ModelPricing,
  Provider,
  RetryInfo,
  RunStatus,
  StreamingMessage,
  Usage,
} from '../../shared/protocol';
import { addUsage, replyCost } from '../../shared/pricing';
import { isReachable, streamChat, type ChatTurn, type StreamDelta, type StreamOutcome } from '../providers/client';
import { classifyProviderError } from '../providers/errors';
import type { Repository } from '../storage/repository';
import { toStorageError } from '../storage/errors';
import { abortable, retryDelay, STOPPED, type GenerationTimings } from './run-timing';

export { DEFAULT_TIMINGS, type GenerationTimings } from './run-timing';

/** A coalesced batch of new text, numbered: `seq` is 1 for the first batch of a run. */
export interface DeltaBatch {
  messageId: string;
  seq: number;
  text: string;
  reasoning: string;
}

/** How a run ended: its stored (or, when storage failed, unsaved) final message. */
export interface RunEnd {
  message: Message;
  /** The conversation with this run's usage and cost added; absent when it was deleted meanwhile. */
  conversation: Conversation | undefined;
  cost: number;
  usage: Usage | undefined;
}

/** What a run reports, in order; the session layer turns it into state and events. */
export interface GenerationHost {
  status(status: RunStatus, extra?: { error?: ErrorInfo; retry?: RetryInfo }): void;
  /** The provider answered (true) or could not be reached (false). */
  reachable(reachable: boolean): void;
  delta(batch: DeltaBatch): void;
  end(end: RunEnd): void;
}

/** The writes a run makes: checkpoints of the partial reply, and the final save. */
export type RunStore = Pick<Repository, 'checkpointMessage' | 'finishRun'>;

/** Everything one run needs, fixed when it starts. */
export interface GenerationSetup {
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
 * One reply being generated. It owns the reply's text, the batches' sequence numbers, and the
 * snapshot a tab that joins late needs: nobody else keeps a copy. Order of events:
 *  1. `start()` → status `starting`; the request goes out.
 *  2. Errors before any text → `retrying` n/maxRetries after a backoff; no connection →
 *     `waiting` until the provider answers (or the user stops it).
 *  3. Text → batches of at most one per `batchIntervalMs`; a checkpoint at most every
 *     `checkpointIntervalMs`, one write at a time.
 *  4. End (finish, stop, error, or the conversation deleted) → checkpoints stopped, the last
 *     batch sent, ONE final write, `end` reported.
 */
export class Generation {
  readonly #setup: GenerationSetup;
  readonly #repository: RunStore;
  readonly #host: GenerationHost;
  readonly #timings: GenerationTimings;
  readonly #controller = new AbortController();
  /** Every increment of text, as it arrives from the provider. */
  readonly #text$ = new Subject<StreamDelta>();
  readonly #batches: Subscription;
  readonly #checkpoints: Subscription;
  #checkpointInFlight: Promise<unknown> = Promise.resolve();
  #content: string;
  #reasoning: string;
  /** The text the tabs have been sent, and the number of its last batch. */
  #sent: StreamingMessage;
  #receivedText = false;
  #discarded = false;
  /** Resolves when the run has ended and its final state is written (set by `start`). */
  done: Promise<void> = Promise.resolve();

  constructor(setup: GenerationSetup, repository: RunStore, host: GenerationHost, timings: GenerationTimings) {
    this.#setup = setup;
    this.#repository = repository;
    this.#host = host;
    this.#timings = timings;
    this.#content = setup.message.content;
    this.#reasoning = setup.message.reasoning ?? '';
    this.#sent = { messageId: setup.message.id, content: this.#content, reasoning: this.#reasoning, seq: 0 };
    // The first increment opens a window; everything that arrives until it closes is one batch.
    this.#batches = this.#text$.pipe(buffer(this.#text$.pipe(auditTime(timings.batchIntervalMs)))).subscribe((increments) => {
      this.#send(increments);
    });
    this.#checkpoints = this.#text$
      .pipe(
        throttleTime(timings.checkpointIntervalMs, asyncScheduler, { leading: true, trailing: true }),
        // One write at a time: text arriving meanwhile is picked up by the next checkpoint.
        exhaustMap(() => (this.#checkpointInFlight = this.#checkpoint())),
      )
      .subscribe();
  }

  get messageId(): string {
    return this.#setup.message.id;
  }

  /** The reply as the tabs have been sent it so far: what a tab that joins now starts from. */
  snapshot(): StreamingMessage {
    return { ...this.#sent };
  }

  /** Send the request; `done` settles when the run has ended and is stored. */
  start(): Promise<void> {
    this.done = this.#run();
    return this.done;
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
    const signal = this.#controller.signal;
    let outcome: StreamOutcome | undefined;
    let failure: ErrorInfo | undefined;
    for (let attempt = 0; ;) {
      this.#host.status('starting');
      try {
        outcome = await streamChat(this.#setup.client, this.#setup.modelId, this.#setup.turns, {
          signal,
          stallTimeoutMs: this.#timings.stallTimeoutMs,
          onDelta: (delta) => this.#onDelta(delta),
        });
        this.#host.reachable(true);
        failure = undefined;
        break;
      } catch (error) {
        failure = await classifyProviderError(error, {
          provider: this.#setup.provider,
          model: this.#setup.modelId,
          receivedText: this.#receivedText,
        });
      }
      if (failure.kind === 'network' && !this.#receivedText) {
        // Offline: the message waits, visibly, and goes out once the provider answers.
        // Waiting doesn't use up retries; only the user stopping it ends the wait.
        this.#host.reachable(false);
        this.#host.status('waiting', { error: failure });
        if (!(await this.#waitUntilReachable())) {
          failure = STOPPED;
          break;
        }
        this.#host.reachable(true);
        continue;
      }
      const delayMs = this.#receivedText ? undefined : retryDelay(failure, attempt, this.#timings);
      if (delayMs === undefined) break;
      const retry: RetryInfo = { attempt: attempt + 1, maxAttempts: this.#timings.maxRetries, delayMs, error: failure };
      this.#host.status('retrying', { retry, error: failure });
      if (!(await abortable(delayMs, signal))) {
        failure = STOPPED;
        break;
      }
      attempt++;
    }
    await this.#finish(outcome, failure);
  }

  /** Probe the provider with growing pauses until it answers (true) or the run is stopped (false). */
  async #waitUntilReachable(): Promise<boolean> {
    const signal = this.#controller.signal;
    for (let delay = this.#timings.reachabilityBaseMs; ; delay = Math.min(delay * 2, this.#timings.reachabilityMaxMs)) {
      if (!(await abortable(delay, signal))) return false;
      if (await isReachable(this.#setup.client, signal)) return true;
    }
  }

  #onDelta(delta: StreamDelta): void {
    if (this.#controller.signal.aborted) return;
    if (!this.#receivedText) {
      this.#receivedText = true;
      this.#host.status('streaming');
    }
    this.#content += delta.text;
    this.#reasoning += delta.reasoning;
    this.#text$.next(delta);
  }

  /** Send one batch to the tabs and fold it into what a late tab's snapshot holds. */
  #send(increments: StreamDelta[]): void {
    if (increments.length === 0) return;
    const text = increments.map((increment) => increment.text).join('');
    const reasoning = increments.map((increment) => increment.reasoning).join('');
    const sent = this.#sent;
    this.#sent = { ...sent, content: sent.content + text, reasoning: sent.reasoning + reasoning, seq: sent.seq + 1 };
    this.#host.delta({ messageId: sent.messageId, seq: this.#sent.seq, text, reasoning });
  }

  /** Write the partial reply, so a crash loses at most one interval of text. */
  async #checkpoint(): Promise<void> {
    if (this.#controller.signal.aborted) return;
    try {
      await this.#repository.checkpointMessage(this.#setup.message.id, this.#content, this.#reasoning, Date.now());
    } catch {
      // A failed checkpoint (quota) loses nothing yet: the text is in memory, and the final
      // write reports the storage error if it fails too.
    }
  }

  async #finish(outcome: StreamOutcome | undefined, failure: ErrorInfo | undefined): Promise<void> {
    this.#checkpoints.unsubscribe();
    this.#text$.complete(); // sends the last batch
    this.#batches.unsubscribe();
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
      conversation = await this.#repository.finishRun(message, { usage: runUsage, cost, updatedAt: now });
    } catch (error) {
      // The reply stays on screen (and in memory) with the storage error attached.
      message.status = 'error';
      message.error = toStorageError(error);
    }
    this.#host.end({ message, conversation, cost, usage: runUsage });
  }
}
