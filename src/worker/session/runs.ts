import type { Conversation, Message, NewAttachment, Result, SendReceipt } from '../../shared/protocol';
import { edit } from '../../shared/conversation-edits';
import { newId } from '../../shared/ids';
import { isResumable } from '../../shared/messages';
import { fail, ok } from '../../shared/result';
import { NEW_CHAT_TITLE, titleFromMessage } from '../../shared/title';
import { MessageTree } from '../../shared/tree';
import { continuationFor } from '../providers/chat-request';
import { makeOpenAIClient } from '../providers/client';
import type { Catalog } from '../providers/catalog';
import { storageFailure } from '../storage/errors';
import type { Repository } from '../storage/repository';
import type { AttachmentRow } from '../storage/schema';
import { canvasScaler, takeAttachments, type ImageScaler, type PreparedAttachment } from './attachment-intake';
import type { EventBus } from './event-bus';
import { DEFAULT_TIMINGS, Generation, type GenerationTimings } from './generation';
import type { Sessions } from './sessions';
import { newReply, resumedReply, userMessage } from './run-messages';
import { toTurns } from './turns';

/** A conversation as a run starts from it: its header and its whole tree of messages. */
interface RunContext {
  conversation: Conversation;
  tree: MessageTree<Message>;
}

/** The three ways a run starts. */
type RunRequest =
  /** A new user message (built, parent set, not yet stored) with its files, and a new reply to it: send, edit. */
  | { mode: 'send'; user: Message; files: PreparedAttachment[] }
  /** A new reply to a stored message, beside any replies it already has: regenerate. */
  | { mode: 'reply'; parentId: string | null }
  /** The unfinished reply continues in place. */
  | { mode: 'resume'; reply: Message };

export interface RunsOptions {
  repository: Repository;
  catalog: Catalog;
  bus: EventBus;
  sessions: Sessions;
  timings?: Partial<GenerationTimings>;
  /** Fits attached images to what providers accept (the browser's canvas by default). */
  imageScaler?: ImageScaler;
}

const GONE = 'That conversation no longer exists.';

/**
 * Replies being written: at most one per conversation (a run belongs to one leaf), any number
 * of conversations at once. Send, edit, regenerate and resume each load the conversation's tree,
 * check what they need, and start one `Generation`; its progress reaches the tabs through the
 * session (`Sessions.runStarted`). The provider receives the path from the root to the reply.
 */
export class Runs {
  readonly #repository: Repository;
  readonly #catalog: Catalog;
  readonly #bus: EventBus;
  readonly #sessions: Sessions;
  readonly #timings: GenerationTimings;
  readonly #imageScaler: ImageScaler;
  readonly #runs = new Map<string, Generation>();
  /** Conversations whose run is being prepared (before it exists): they count as busy. */
  readonly #starting = new Set<string>();

  constructor(options: RunsOptions) {
    this.#repository = options.repository;
    this.#catalog = options.catalog;
    this.#bus = options.bus;
    this.#sessions = options.sessions;
    this.#timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.#imageScaler = options.imageScaler ?? canvasScaler;
  }

  /** The run of a conversation, if one is going. */
  run(conversationId: string): Generation | undefined {
    return this.#runs.get(conversationId);
  }

  /** Whether a reply is being written in the conversation, or about to be (its busy slot is taken). */
  isBusy(conversationId: string): boolean {
    return this.#runs.has(conversationId) || this.#starting.has(conversationId);
  }

  /** Store the user's message (and its files) at the end of the shown branch and start the reply. */
  send(conversationId: string, content: string, attachments: NewAttachment[] = []): Promise<Result<SendReceipt>> {
    if (!content.trim() && attachments.length === 0) return Promise.resolve(fail('config', 'Type a message first.'));
    return this.#exclusive(conversationId, async (context) => {
      const files = await takeAttachments(attachments, this.#imageScaler);
      if (!files.ok) return files;
      const { conversation, tree } = context;
      // A shown leaf that is gone (deleted in a race) falls back to the newest branch.
      const parentId =
        conversation.activeLeafId && tree.get(conversation.activeLeafId) ? conversation.activeLeafId : tree.latestLeaf();
      const user = userMessage(conversationId, parentId ? tree.get(parentId) : undefined, content, files.value);
      return this.#start(context, { mode: 'send', user, files: files.value });
    });
  }

  /** An edited user message becomes a sibling of the original (whose branch stays) and gets a reply. */
  edit(conversationId: string, messageId: string, content: string): Promise<Result<SendReceipt>> {
    if (!content.trim()) return Promise.resolve(fail('config', 'Type a message first.'));
    return this.#exclusive(conversationId, async (context) => {
      const original = context.tree.get(messageId);
      if (original?.role !== 'user') return fail('config', 'Only your own messages can be edited.');
      // The edit carries the original's files: copies of their rows, so deleting either branch
      // never takes a file the other still shows.
      const files: PreparedAttachment[] = [];
      for (const attachment of original.attachments ?? []) {
        const stored = await this.#repository.getAttachment(attachment.id);
        if (stored) {
          const { conversationId: _conversationId, messageId: _messageId, ...file } = stored;
          files.push({ ...file, id: newId() });
        }
      }
      const parent = original.parentId ? context.tree.get(original.parentId) : undefined;
      const user = userMessage(conversationId, parent, content, files);
      return this.#start(context, { mode: 'send', user, files });
    });
  }

  /** A new reply beside the assistant message `messageId`; the old one stays as a sibling. */
  regenerate(conversationId: string, messageId: string): Promise<Result<SendReceipt>> {
    return this.#exclusive(conversationId, (context) => {
      const original = context.tree.get(messageId);
      if (original?.role !== 'assistant') return Promise.resolve(fail('config', 'There is no reply to regenerate.'));
      return this.#start(context, { mode: 'reply', parentId: original.parentId });
    });
  }

  /** Continue the shown branch's last reply in place. */
  resume(conversationId: string): Promise<Result<SendReceipt>> {
    return this.#exclusive(conversationId, (context) => {
      const leafId = context.conversation.activeLeafId;
      const leaf = leafId ? context.tree.get(leafId) : undefined;
      if (!leaf || !isResumable(leaf) || context.tree.children(leaf.id).length > 0) {
        return Promise.resolve(fail('config', 'There is no unfinished reply to resume.'));
      }
      return this.#start(context, { mode: 'resume', reply: leaf });
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
      if (!conversation) return fail('config', GONE);
      const tree = new MessageTree(await this.#repository.listMessages(conversationId));
      return await body({ conversation, tree });
    } catch (error) {
      return storageFailure(error);
    } finally {
      this.#starting.delete(conversationId);
    }
  }

  /**
   * 1. Check the conversation can run (provider, model); if not, nothing is written — the
   *    composer keeps the text and the files, so sending again after the fix sends it once.
   * 2. Build what the provider reads, before anything is written (it reads the files).
   * 3. Write the user message (when new), the assistant row and the conversation's new shown
   *    branch in one transaction; from there the run is registered in the same step, so a stop
   *    or a delete that follows the reply's first event always finds it.
   */
  async #start({ conversation, tree }: RunContext, request: RunRequest): Promise<Result<SendReceipt>> {
    const target = await this.#catalog.resolveTarget(conversation);
    if (!target.ok) return target;
    const { provider, pricing } = target.value;
    // The recent-models list: remembering a preference never fails a send.
    await this.#catalog.noteModelUsed(provider.id, conversation.modelId).catch(() => undefined);
    const user = request.mode === 'send' ? request.user : undefined;
    const rows: AttachmentRow[] =
      request.mode === 'send'
        ? request.files.map((file) => ({ ...file, conversationId: conversation.id, messageId: request.user.id }))
        : [];
    const now = Date.now();
    const parentId =
      request.mode === 'send' ? request.user.id : request.mode === 'reply' ? request.parentId : request.reply.parentId;
    const reply =
      request.mode === 'resume'
        ? resumedReply(request.reply, now)
        : newReply(conversation, provider.id, user ?? (parentId ? tree.get(parentId) : undefined), parentId, now);

    // What the provider reads: the branch down to the reply's parent; on resume, the partial
    // reply too, asked for in the provider's own way (`continuationFor`).
    const path = user ? [...tree.path(user.parentId), user] : tree.path(parentId);
    const newFiles = new Map(rows.map((row) => [row.id, row.blob]));
    const turns = await toTurns(
      conversation.systemPrompt,
      path,
      async (attachment) => newFiles.get(attachment.id) ?? (await this.#repository.getAttachment(attachment.id))?.blob,
    );
    const continuation = request.mode === 'resume' ? continuationFor(provider, reply.content) : undefined;

    // The first user message names a conversation still called "New chat".
    const title =
      user &&
      conversation.title === NEW_CHAT_TITLE &&
      !tree.path(conversation.activeLeafId).some((message) => message.role === 'user')
        ? titleFromMessage(user.content)
        : conversation.title;
    const started = await this.#write(conversation.id, { title, leafId: reply.id }, user ? [user, reply] : [reply], rows);
    if (!started) return fail('config', GONE);
    // The reply first, then the branch that ends in it (see #write).
    const host = this.#sessions.runStarted(conversation.id, reply);
    this.#bus.broadcast({ type: 'conversation-upsert', conversation: started });
    const generation = new Generation(
      {
        provider,
        client: makeOpenAIClient(provider),
        pricing,
        message: reply,
        request: { model: conversation.modelId, turns, ...(continuation ? { continuation } : {}) },
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

  /**
   * Store new messages (and files) and make the branch ending in `leafId` the one shown. The tabs
   * hear of the new user message here; the caller announces the reply and only then the changed
   * conversation, so a tab never holds a shown leaf it does not know (its view would empty).
   */
  async #write(
    conversationId: string,
    change: { title: string; leafId: string },
    messages: Message[],
    attachments: AttachmentRow[],
  ): Promise<Conversation | undefined> {
    const conversation = await this.#repository.startRun(
      conversationId,
      (stored) => {
        const now = Date.now();
        const changes =
          stored.title === change.title ? { activeLeafId: change.leafId } : { title: change.title, activeLeafId: change.leafId };
        return { ...edit(stored, changes, now), updatedAt: now };
      },
      messages,
      attachments,
    );
    if (!conversation) return undefined;
    for (const message of messages) {
      if (message.role === 'user') this.#bus.toViewers(conversationId, { type: 'message-upsert', conversationId, message });
    }
    return conversation;
  }
}
