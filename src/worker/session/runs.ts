import type { Conversation, Message, Result, SendReceipt } from '../../shared/protocol';
import { newId } from '../../shared/ids';
import { isResumable } from '../../shared/messages';
import { fail, ok } from '../../shared/result';
import { NEW_CHAT_TITLE, titleFromMessage } from '../../shared/title';
import { makeOpenAIClient, type ChatTurn } from '../providers/client';
import type { Catalog } from '../providers/catalog';
import { storageFailure } from '../storage/errors';
import type { Repository } from '../storage/repository';
import type { EventBus } from './event-bus';
import { DEFAULT_TIMINGS, Generation, type GenerationTimings } from './generation';
import type { Sessions } from './sessions';

/** A conversation as a run starts from it: its header and its stored messages, oldest first. */
interface RunContext {
  conversation: Conversation;
  history: Message[];
}

/** The three ways a run starts. */
type RunRequest =
  /** A new user message (already built, not yet stored) and a new reply to it. */
  | { mode: 'send'; user: Message }
  /** The unfinished reply `reply` continues in place. */
  | { mode: 'resume'; reply: Message }
  /** A new reply to the history as it stands (the old last reply is already gone). */
  | { mode: 'regenerate' };

export interface RunsOptions {
  repository: Repository;
  catalog: Catalog;
  bus: EventBus;
  sessions: Sessions;
  timings?: Partial<GenerationTimings>;
}

/**
 * Replies being written: at most one per conversation, any number of conversations at once.
 * Send, resume and regenerate each load the conversation, check what they need, and start one
 * `Generation`; its progress reaches the tabs through the session (`Sessions.runStarted`).
 */
export class Runs {
  readonly #repository: Repository;
  readonly #catalog: Catalog;
  readonly #bus: EventBus;
  readonly #sessions: Sessions;
  readonly #timings: GenerationTimings;
  readonly #runs = new Map<string, Generation>();
  /** Conversations whose run is being prepared (before it exists): they count as busy. */
  readonly #starting = new Set<string>();

  constructor(options: RunsOptions) {
    this.#repository = options.repository;
    this.#catalog = options.catalog;
    this.#bus = options.bus;
    this.#sessions = options.sessions;
    this.#timings = { ...DEFAULT_TIMINGS, ...options.timings };
  }

  /** The run of a conversation, if one is going. */
  run(conversationId: string): Generation | undefined {
    return this.#runs.get(conversationId);
  }

  /** Whether a reply is being written in the conversation, or about to be (its busy slot is taken). */
  isBusy(conversationId: string): boolean {
    return this.#runs.has(conversationId) || this.#starting.has(conversationId);
  }

  /** Store the user's message and start the reply. */
  send(conversationId: string, content: string): Promise<Result<SendReceipt>> {
    if (!content.trim()) return Promise.resolve(fail('config', 'Type a message first.'));
    return this.#exclusive(conversationId, ({ conversation, history }) => {
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
      const untitled = conversation.title === NEW_CHAT_TITLE && !history.some((message) => message.role === 'user');
      const titled = { ...conversation, title: untitled ? titleFromMessage(content) : conversation.title };
      return this.#start({ conversation: titled, history }, { mode: 'send', user });
    });
  }

  /** Continue the last reply in place. */
  resume(conversationId: string): Promise<Result<SendReceipt>> {
    return this.#exclusive(conversationId, (context) => {
      const last = context.history.at(-1);
      if (!last || !isResumable(last)) return Promise.resolve(fail('config', 'There is no unfinished reply to resume.'));
      return this.#start(context, { mode: 'resume', reply: last });
    });
  }

  /** Replace the last reply with a fresh one. */
  regenerate(conversationId: string): Promise<Result<SendReceipt>> {
    return this.#exclusive(conversationId, async ({ conversation, history }) => {
      const last = history.at(-1);
      if (last?.role !== 'assistant') return fail('config', 'There is no reply to regenerate.');
      await this.#repository.deleteMessage(last.id);
      this.#bus.toViewers(conversationId, { type: 'message-delete', conversationId, messageId: last.id });
      return this.#start({ conversation, history: history.slice(0, -1) }, { mode: 'regenerate' });
    });
  }

  /** Stop the conversation's run; the partial reply is saved once, as `stopped`. */
  async stop(conversationId: string): Promise<Result<void>> {
    const run = this.#runs.get(conversationId);
    if (run) {
      run.stop();
      await run.done;
    }
    return ok(undefined);
  }

  /** Stop the run of a conversation being deleted, writing nothing more; resolves once it has. */
  async discard(conversationId: string): Promise<void> {
    const run = this.#runs.get(conversationId);
    run?.discard();
    await run?.done;
    this.#runs.delete(conversationId);
  }

  /** Wait for every run to end (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.#runs.values()].map((run) => run.done));
  }

  /**
   * Load the conversation and run `body` holding its busy slot, which is taken synchronously so
   * that two tabs sending at the same moment get exactly one run.
   */
  async #exclusive(
    conversationId: string,
    body: (context: RunContext) => Promise<Result<SendReceipt>>,
  ): Promise<Result<SendReceipt>> {
    if (this.isBusy(conversationId)) {
      return fail('busy', 'A reply is already being written in this conversation. Wait for it or stop it first.');
    }
    this.#starting.add(conversationId);
    try {
      const conversation = await this.#repository.getConversation(conversationId);
      if (!conversation) return fail('config', 'That conversation no longer exists.');
      const history = await this.#repository.listMessages(conversationId);
      return await body({ conversation: { ...conversation, updatedAt: Date.now() }, history });
    } catch (error) {
      return storageFailure(error);
    } finally {
      this.#starting.delete(conversationId);
    }
  }

  /**
   * 1. Check the conversation can run (provider, model); if not, a new user message is still
   *    stored, so nothing typed is lost.
   * 2. Write the user message (when new) and the assistant row in one transaction.
   * 3. Start the generation; the session tells the tabs.
   */
  async #start({ conversation, history }: RunContext, request: RunRequest): Promise<Result<SendReceipt>> {
    const user = request.mode === 'send' ? request.user : undefined;
    const target = await this.#catalog.resolveTarget(conversation);
    if (!target.ok) {
      if (user) await this.#saveUserMessage(conversation, user);
      return target;
    }
    const { provider, pricing } = target.value;
    const now = Date.now();
    const reply: Message =
      request.mode === 'resume'
        ? { ...request.reply, status: 'streaming', updatedAt: now }
        : {
            id: newId(),
            conversationId: conversation.id,
            role: 'assistant',
            content: '',
            status: 'streaming',
            model: conversation.modelId,
            providerId: provider.id,
            finishReason: null,
            createdAt: Math.max(now, ((user ?? history.at(-1))?.createdAt ?? 0) + 1),
            updatedAt: now,
          };
    delete reply.error;
    await this.#repository.startRun(conversation, user ? [user, reply] : [reply]);
    this.#bus.broadcast({ type: 'conversation-upsert', conversation });
    if (user) this.#bus.toViewers(conversation.id, { type: 'message-upsert', conversationId: conversation.id, message: user });
    await this.#catalog.noteModelUsed(provider.id, conversation.modelId);

    const host = this.#sessions.runStarted(conversation.id, reply);
    const generation = new Generation(
      {
        conversationId: conversation.id,
        provider,
        client: makeOpenAIClient(provider),
        modelId: conversation.modelId,
        pricing,
        message: reply,
        turns: toTurns(conversation.systemPrompt, user ? [...history, user] : history),
      },
      this.#repository,
      {
        ...host,
        end: (end) => {
          // No longer running before anyone hears it ended.
          this.#runs.delete(conversation.id);
          host.end(end);
        },
      },
      this.#timings,
    );
    this.#runs.set(conversation.id, generation);
    void generation.start();
    return ok({ userMessageId: user?.id ?? '', assistantMessageId: reply.id });
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
