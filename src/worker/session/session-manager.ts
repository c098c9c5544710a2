import type { Observable } from 'rxjs';
import type {
  Conversation,
  ConversationInput,
  ConversationPatch,
  Message,
  Result,
  SendReceipt,
  SessionState,
} from '../../shared/protocol';
import { newId } from '../../shared/ids';
import { NEW_CHAT_TITLE, titleFromMessage } from '../../shared/title';
import { makeOpenAIClient, type ChatTurn } from '../providers/client';
import type { Catalog } from '../catalog';
import type { Connectivity } from '../lifecycle/connectivity';
import type { Repository } from '../storage/repository';
import type { EventBus } from './event-bus';
import { DEFAULT_TIMINGS, Generation, type GenerationHost, type GenerationTimings } from './generation';
import { fail, ok, storageFailure } from './results';
import { SessionRegistry } from './session-registry';

/**
 * Statuses from which a reply can be continued in place. `streaming` counts only because no run
 * holds the conversation when resume is allowed: such a row is a reply whose final save failed.
 */
const RESUMABLE = new Set(['stopped', 'interrupted', 'error', 'streaming']);

export interface SessionManagerOptions {
  timings?: Partial<GenerationTimings>;
  idleMs?: number;
  connectivity?: Connectivity;
}

/**
 * The seed's ChatSessionManager, in the worker: one session per conversation, shared by every
 * tab viewing it, reference-counted, with at most one run per conversation.
 */
export class SessionManager {
  readonly #repository: Repository;
  readonly #catalog: Catalog;
  readonly #bus: EventBus;
  readonly #timings: GenerationTimings;
  readonly #connectivity: Connectivity | undefined;
  readonly #runs = new Map<string, Generation>();
  readonly #registry: SessionRegistry;
  /** Conversations whose send is being prepared (before the run exists): they count as busy. */
  readonly #starting = new Set<string>();

  /** Every live session, keyed by conversation id. */
  readonly sessions$: Observable<ReadonlyMap<string, SessionState>>;

  constructor(repository: Repository, catalog: Catalog, bus: EventBus, options: SessionManagerOptions = {}) {
    this.#repository = repository;
    this.#catalog = catalog;
    this.#bus = bus;
    this.#timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.#connectivity = options.connectivity;
    this.#registry = new SessionRegistry({ idleMs: options.idleMs, isBusy: (conversationId) => this.#runs.has(conversationId) });
    this.sessions$ = this.#registry.sessions$;
  }

  /** The current state of one session, if it is live. */
  session(conversationId: string): SessionState | undefined {
    return this.#registry.get(conversationId);
  }

  /** The run of a conversation, if one is going. */
  run(conversationId: string): Generation | undefined {
    return this.#runs.get(conversationId);
  }

  // ── Reference counting ─────────────────────────────────────

  /** A tab started viewing the conversation. Returns the session state to snapshot. */
  async retain(conversationId: string): Promise<SessionState> {
    const conversation = this.#registry.get(conversationId) ? undefined : await this.#repository.getConversation(conversationId);
    return this.#registry.retain(conversationId, conversation);
  }

  /** A tab stopped viewing. Never stops a run; drops the state a while after the last viewer. */
  release(conversationId: string): void {
    this.#registry.release(conversationId);
  }

  // ── Conversations ──────────────────────────────────────────

  async createConversation(input: ConversationInput = {}): Promise<Result<Conversation>> {
    const settings = await this.#catalog.settings();
    const now = Date.now();
    const conversation: Conversation = {
      id: newId(),
      title: input.title?.trim() || NEW_CHAT_TITLE,
      providerId: input.providerId ?? settings.activeProviderId ?? '',
      modelId: input.modelId ?? settings.activeModelId ?? '',
      createdAt: now,
      updatedAt: now,
      usage: { promptTokens: 0, completionTokens: 0 },
      cost: 0,
    };
    if (input.systemPrompt?.trim()) conversation.systemPrompt = input.systemPrompt;
    try {
      await this.#repository.putConversation(conversation);
    } catch (error) {
      return storageFailure(error);
    }
    this.#bus.broadcast({ type: 'conversation-upsert', conversation });
    return ok(conversation);
  }

  async updateConversation(conversationId: string, patch: ConversationPatch): Promise<Result<Conversation>> {
    const stored = await this.#repository.getConversation(conversationId);
    if (!stored) return fail('config', 'That conversation no longer exists.');
    const conversation: Conversation = { ...stored };
    if (patch.title !== undefined) conversation.title = patch.title.trim().slice(0, 200) || stored.title;
    if (patch.providerId !== undefined) conversation.providerId = patch.providerId;
    if (patch.modelId !== undefined) conversation.modelId = patch.modelId;
    if (patch.systemPrompt !== undefined) {
      if (patch.systemPrompt.trim()) conversation.systemPrompt = patch.systemPrompt;
      else delete conversation.systemPrompt;
    }
    try {
      await this.#repository.putConversation(conversation);
    } catch (error) {
      return storageFailure(error);
    }
    if (patch.modelId !== undefined || patch.providerId !== undefined) {
      await this.#catalog.noteModelUsed(conversation.providerId, conversation.modelId);
      if (this.session(conversationId)) {
        this.#registry.update(conversationId, { providerId: conversation.providerId, modelId: conversation.modelId });
      }
    }
    this.#bus.broadcast({ type: 'conversation-upsert', conversation });
    return ok(conversation);
  }

  /** Delete a conversation and its messages; its run (if any) stops without writing. */
  async deleteConversation(conversationId: string): Promise<Result<void>> {
    const run = this.#runs.get(conversationId);
    run?.discard();
    try {
      await this.#repository.deleteConversation(conversationId);
    } catch (error) {
      return storageFailure(error);
    }
    await run?.done;
    this.#runs.delete(conversationId);
    this.#registry.delete(conversationId);
    this.#bus.broadcast({ type: 'conversation-delete', conversationId });
    return ok(undefined);
  }

  async deleteMessage(conversationId: string, messageId: string): Promise<Result<void>> {
    if (this.#runs.get(conversationId)?.messageId === messageId) {
      return fail('busy', 'That reply is still being written. Stop it first.');
    }
    try {
      await this.#repository.deleteMessage(messageId);
    } catch (error) {
      return storageFailure(error);
    }
    this.#bus.toViewers(conversationId, { type: 'message-delete', conversationId, messageId });
    return ok(undefined);
  }

  // ── Runs ───────────────────────────────────────────────────

  #isBusy(conversationId: string): boolean {
    return this.#runs.has(conversationId) || this.#starting.has(conversationId);
  }

  /** Store the user's message and start the reply. */
  async sendMessage(conversationId: string, content: string): Promise<Result<SendReceipt>> {
    if (!content.trim()) return fail('config', 'Type a message first.');
    return this.#exclusive(conversationId, async () => {
      const conversation = await this.#repository.getConversation(conversationId);
      if (!conversation) return fail('config', 'That conversation no longer exists.');
      const history = await this.#repository.listMessages(conversationId);
      const now = Date.now();
      const createdAt = Math.max(now, (history.at(-1)?.createdAt ?? 0) + 1);
      const user: Message = {
        id: newId(),
        conversationId,
        role: 'user',
        content,
        status: 'complete',
        createdAt,
        updatedAt: createdAt,
      };
      const titled = conversation.title === NEW_CHAT_TITLE && !history.some((message) => message.role === 'user');
      const updated: Conversation = {
        ...conversation,
        title: titled ? titleFromMessage(content) : conversation.title,
        updatedAt: now,
      };
      return this.#startRun(updated, [...history, user], user);
    });
  }

  /** Continue the last reply in place. */
  async resumeGeneration(conversationId: string): Promise<Result<SendReceipt>> {
    return this.#exclusive(conversationId, async () => {
      const conversation = await this.#repository.getConversation(conversationId);
      if (!conversation) return fail('config', 'That conversation no longer exists.');
      const history = await this.#repository.listMessages(conversationId);
      const last = history.at(-1);
      const resumable =
        last?.role === 'assistant' &&
        (RESUMABLE.has(last.status) || (last.status === 'complete' && last.finishReason === 'length'));
      if (!last || !resumable) return fail('config', 'There is no unfinished reply to resume.');
      return this.#startRun({ ...conversation, updatedAt: Date.now() }, history, undefined, last);
    });
  }

  /** Replace the last reply with a fresh one. */
  async regenerate(conversationId: string): Promise<Result<SendReceipt>> {
    return this.#exclusive(conversationId, async () => {
      const conversation = await this.#repository.getConversation(conversationId);
      if (!conversation) return fail('config', 'That conversation no longer exists.');
      const history = await this.#repository.listMessages(conversationId);
      const last = history.at(-1);
      if (last?.role !== 'assistant') return fail('config', 'There is no reply to regenerate.');
      try {
        await this.#repository.deleteMessage(last.id);
      } catch (error) {
        return storageFailure(error);
      }
      this.#bus.toViewers(conversationId, { type: 'message-delete', conversationId, messageId: last.id });
      return this.#startRun({ ...conversation, updatedAt: Date.now() }, history.slice(0, -1));
    });
  }

  /** Stop the conversation's run; the partial reply is saved once, as `stopped`. */
  async stopGeneration(conversationId: string): Promise<Result<void>> {
    const run = this.#runs.get(conversationId);
    if (!run) return ok(undefined);
    run.stop();
    await run.done;
    return ok(undefined);
  }

  /** Wait for every run to end (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.#runs.values()].map((run) => run.done));
  }

  /** Run `body` holding the conversation's busy slot, taken synchronously so two sends can't race. */
  async #exclusive(conversationId: string, body: () => Promise<Result<SendReceipt>>): Promise<Result<SendReceipt>> {
    if (this.#isBusy(conversationId)) {
      return fail('busy', 'A reply is already being written in this conversation. Wait for it or stop it first.');
    }
    this.#starting.add(conversationId);
    try {
      return await body();
    } catch (error) {
      return storageFailure(error);
    } finally {
      this.#starting.delete(conversationId);
    }
  }

  /**
   * Write the user message (when new) and the assistant row in one transaction, then start the
   * run. `resumed` is the partial reply to continue, if any.
   */
  async #startRun(
    conversation: Conversation,
    history: Message[],
    user?: Message,
    resumed?: Message,
  ): Promise<Result<SendReceipt>> {
    const target = await this.#catalog.resolveTarget(conversation);
    if (!target.ok) {
      // The user's message is kept even when no reply can start, so nothing typed is lost.
      if (user) await this.#saveUserMessage(conversation, user);
      return target;
    }
    const { provider, pricing } = target.value;
    const now = Date.now();
    const assistant: Message = resumed
      ? { ...resumed, status: 'streaming', updatedAt: now }
      : {
          id: newId(),
          conversationId: conversation.id,
          role: 'assistant',
          content: '',
          status: 'streaming',
          model: conversation.modelId,
          providerId: provider.id,
          finishReason: null,
          createdAt: Math.max(now, (history.at(-1)?.createdAt ?? 0) + 1),
          updatedAt: now,
        };
    delete assistant.error;
    try {
      await this.#repository.startRun(conversation, user ? [user, assistant] : [assistant]);
    } catch (error) {
      return storageFailure(error);
    }
    this.#bus.broadcast({ type: 'conversation-upsert', conversation });
    if (user) this.#bus.toViewers(conversation.id, { type: 'message-upsert', conversationId: conversation.id, message: user });
    await this.#catalog.noteModelUsed(provider.id, conversation.modelId);

    const turns = toTurns(conversation.systemPrompt, history);
    const generation = new Generation(
      {
        conversationId: conversation.id,
        provider,
        client: makeOpenAIClient(provider),
        modelId: conversation.modelId,
        pricing,
        message: assistant,
        turns,
      },
      this.#repository,
      this.#hostFor(conversation.id),
      this.#timings,
    );
    this.#runs.set(conversation.id, generation);
    this.#registry.ensure(conversation.id, conversation);
    this.#registry.update(conversation.id, {
      providerId: provider.id,
      modelId: conversation.modelId,
      isLoading: true,
      runStatus: 'starting',
      streaming: { messageId: assistant.id, content: assistant.content, reasoning: assistant.reasoning ?? '', seq: 0 },
      finishReason: null,
      lastError: undefined,
      retry: undefined,
    });
    this.#bus.toViewers(conversation.id, { type: 'message-start', conversationId: conversation.id, message: assistant });
    void generation.start();
    return ok({ userMessageId: user?.id ?? '', assistantMessageId: assistant.id });
  }

  async #saveUserMessage(conversation: Conversation, user: Message): Promise<void> {
    try {
      await this.#repository.startRun(conversation, [user]);
      this.#bus.broadcast({ type: 'conversation-upsert', conversation });
      this.#bus.toViewers(conversation.id, { type: 'message-upsert', conversationId: conversation.id, message: user });
    } catch {
      // The failure that stopped the run is what the tab reports; the draft is still in its composer.
    }
  }

  /** The callbacks a run uses to publish its progress through this session. */
  #hostFor(conversationId: string): GenerationHost {
    const sessionCost = () => this.session(conversationId)?.sessionCost ?? 0;
    return {
      reachable: (reachable) => this.#connectivity?.report(reachable),
      status: (status, extra) => {
        this.#registry.update(conversationId, { runStatus: status, retry: extra?.retry, lastError: extra?.error });
        this.#bus.broadcast({ type: 'run-status', conversationId, status, sessionCost: sessionCost(), ...extra });
      },
      delta: (text, reasoning) => {
        const streaming = this.session(conversationId)?.streaming;
        if (!streaming) return;
        const seq = streaming.seq + 1;
        this.#registry.update(conversationId, {
          streaming: { ...streaming, content: streaming.content + text, reasoning: streaming.reasoning + reasoning, seq },
        });
        this.#bus.toViewers(conversationId, {
          type: 'message-delta',
          messageId: streaming.messageId,
          seq,
          text,
          ...(reasoning ? { reasoning } : {}),
          // Benchmark builds only: when the batch left the core (bench/ fan-out latency).
          ...(__BENCH__ ? { sentAt: performance.timeOrigin + performance.now() } : {}),
        });
      },
      end: (message, conversation, cost, usage) => {
        this.#runs.delete(conversationId);
        const status = message.status === 'complete' ? 'complete' : message.status === 'stopped' ? 'stopped' : 'error';
        const session = this.session(conversationId);
        const state = session
          ? this.#registry.update(conversationId, {
              isLoading: false,
              runStatus: status,
              streaming: null,
              usage: usage ?? session.usage,
              sessionCost: session.sessionCost + cost,
              finishReason: message.finishReason ?? null,
              lastError: message.error,
              retry: undefined,
            })
          : undefined;
        const { content, reasoning, ...ending } = message;
        this.#bus.toViewers(conversationId, {
          type: 'message-end',
          conversationId,
          message: { ...ending, contentLength: content.length, reasoningLength: reasoning?.length ?? 0 },
        });
        this.#bus.broadcast({
          type: 'run-status',
          conversationId,
          status,
          sessionCost: state?.sessionCost ?? 0,
          ...(usage ? { usage } : {}),
          ...(message.error ? { error: message.error } : {}),
        });
        if (conversation) this.#bus.broadcast({ type: 'conversation-upsert', conversation });
        if (state && state.subscriberCount === 0) this.#registry.scheduleCleanup(conversationId);
      },
    };
  }
}

/** The provider's view of a history: system prompt first, failed empty replies left out. */
export function toTurns(systemPrompt: string | undefined, history: Message[]): ChatTurn[] {
  const turns: ChatTurn[] = [];
  if (systemPrompt?.trim()) turns.push({ role: 'system', content: systemPrompt });
  for (const message of history) {
    if (message.role === 'assistant' && !message.content) continue;
    turns.push({ role: message.role, content: message.content });
  }
  return turns;
}
