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
import { isReachable, streamChat, type ChatRequest, type StreamDelta, type StreamOutcome } from '../providers/client';
import { classifyProviderError } from '../providers/errors';
import type { Repository } from '../storage/repository';
import { toStorageError } from '../storage/errors';
import { finalMessage } from './final-message';
import { makeOverlapFilter, type OverlapFilter } from './overlap-filter';
import { ReasoningClock } from './reasoning-clock';
import { abortable, retryDelay, STOPPED, untilReachable, type GenerationTimings } from './run-timing';

export { DEFAULT_TIMINGS, type GenerationTimings } from './run-timing';

/** A coalesced batch of new text, numbered: `seq` is 1 for the first batch of a run. */
export interface DeltaBatch {
  messageId: string;
  seq: number;
  text: string;
  reasoning: string;
  /** In the batch where the reasoning ended: how long it took. */
  reasoningMs?: number;
}

/** One increment of the reply, as the run keeps it. */
type Increment = StreamDelta & { reasoningMs?: number };

/** How a run ended: its stored (or, when storage failed, unsaved) final message. */
export interface RunEnd {
  message: Message;
  /** The conversation with this run's usage and cost added; absent when it was deleted meanwhile. */
  conversation: Conversation | undefined;
  cost: number;
  usage: Usage | undefined;
  /** Text arrived but no usage: this run's cost is not known. */
  costUnknown: boolean;
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
  pricing?: ModelPricing;
  /** The assistant row being written; on resume it already holds the earlier text. */
  message: Message;
  /**
   * What the provider is asked: the conversation up to the reply, and on resume the partial
   * with the provider's way of continuing it.
   */
  request: ChatRequest;
}

/**
 * One reply being generated. It owns the reply's text, the batches' sequence numbers, and the
 * snapshot a tab that joins late needs: nobody else keeps a copy. Order of events:
 *  1. `start()` → status `starting`; the request goes out.
 *  2. Errors before any text → `retrying` n/maxRetries after a backoff; no connection →
 *     `waiting` until the provider answers (or the user stops it).
 *  3. Text → batches of at most one per `batchIntervalMs`; a checkpoint at most every
 *     `checkpointIntervalMs`, one write at a time. On resume the answer text first passes the
 *     overlap filter, so what the provider repeats of the partial never reaches anyone.
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
  readonly #text$ = new Subject<Increment>();
  /** On resume: holds back and drops what the continuation repeats of the partial. */
  readonly #overlap: OverlapFilter | undefined;
  readonly #reasoningClock: ReasoningClock;
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
    if (setup.message.reasoningMs !== undefined) this.#sent.reasoningMs = setup.message.reasoningMs;
    this.#reasoningClock = new ReasoningClock(setup.message.reasoningMs);
    const continuation = setup.request.continuation;
    this.#overlap = continuation ? makeOverlapFilter(continuation.partial) : undefined;
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
        outcome = await streamChat(this.#setup.client, this.#setup.request, {
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
          model: this.#setup.request.model,
          receivedText: this.#receivedText,
        });
      }
      if (failure.kind === 'network' && !this.#receivedText) {
        // Offline: the message waits, visibly, and goes out once the provider answers.
        // Waiting doesn't use up retries; only the user stopping it ends the wait.
        this.#host.reachable(false);
        this.#host.status('waiting', { error: failure });
        if (!(await untilReachable(() => isReachable(this.#setup.client, signal), signal, this.#timings))) {
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

  #onDelta(delta: StreamDelta): void {
    if (this.#controller.signal.aborted) return;
    if (!this.#receivedText) {
      this.#receivedText = true;
      this.#host.status('streaming');
    }
    const reasoningMs = this.#reasoningClock.note({ reasoning: Boolean(delta.reasoning), text: Boolean(delta.text) }, Date.now());
    const text = this.#overlap ? this.#overlap.push(delta.text) : delta.text;
    this.#append({ text, reasoning: delta.reasoning, ...(reasoningMs === undefined ? {} : { reasoningMs }) });
  }

  #append(increment: Increment): void {
    if (!increment.text && !increment.reasoning && increment.reasoningMs === undefined) return;
    this.#content += increment.text;
    this.#reasoning += increment.reasoning;
    this.#text$.next(increment);
  }

  /** Send one batch to the tabs and fold it into what a late tab's snapshot holds. */
  #send(increments: Increment[]): void {
    if (increments.length === 0) return;
    const text = increments.map((increment) => increment.text).join('');
    const reasoning = increments.map((increment) => increment.reasoning).join('');
    const reasoningMs = increments.reduce<number | undefined>((last, increment) => increment.reasoningMs ?? last, undefined);
    const sent = this.#sent;
    this.#sent = { ...sent, content: sent.content + text, reasoning: sent.reasoning + reasoning, seq: sent.seq + 1 };
    if (reasoningMs !== undefined) this.#sent.reasoningMs = reasoningMs;
    this.#host.delta({
      messageId: sent.messageId,
      seq: this.#sent.seq,
      text,
      reasoning,
      ...(reasoningMs === undefined ? {} : { reasoningMs }),
    });
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

  /**
   * 1. Whatever the overlap filter still holds, and the reasoning time if it was still open, go
   *    out in the last batch; checkpoints stop.
   * 2. One final write: the reply and the conversation's totals together.
   */
  async #finish(outcome: StreamOutcome | undefined, failure: ErrorInfo | undefined): Promise<void> {
    this.#checkpoints.unsubscribe();
    const reasoningMs = this.#reasoningClock.close(Date.now());
    this.#append({ text: this.#overlap?.end() ?? '', reasoning: '', ...(reasoningMs === undefined ? {} : { reasoningMs }) });
    this.#text$.complete(); // sends the last batch
    this.#batches.unsubscribe();
    await this.#checkpointInFlight;
    if (this.#discarded) return;

    const now = Date.now();
    const { message, usage, cost, costUnknown } = finalMessage({
      previous: this.#setup.message,
      content: this.#content,
      reasoning: this.#reasoning,
      reasoningMs: this.#reasoningClock.totalMs,
      outcome,
      failure,
      receivedText: this.#receivedText,
      pricing: this.#setup.pricing,
      now,
    });
    let conversation: Conversation | undefined;
    try {
      conversation = await this.#repository.finishRun(message, { usage, cost, costUnknown, updatedAt: now });
    } catch (error) {
      // The reply stays on screen (and in memory) with the storage error attached.
      message.status = 'error';
      message.error = toStorageError(error);
    }
    this.#host.end({ message, conversation, cost, usage, costUnknown });
  }
}
