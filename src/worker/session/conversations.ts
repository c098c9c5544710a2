import type { Conversation, ConversationInput, ConversationPatch, Result } from '../../shared/protocol';
import { newId } from '../../shared/ids';
import { edit } from '../../shared/conversation-edits';
import { totalsOf } from '../../shared/pricing';
import { fail, ok } from '../../shared/result';
import { NEW_CHAT_TITLE } from '../../shared/title';
import { MessageTree } from '../../shared/tree';
import type { Catalog } from '../providers/catalog';
import { storageFailure } from '../storage/errors';
import type { Repository } from '../storage/repository';
import type { EventBus } from './event-bus';
import type { Runs } from './runs';
import type { Sessions } from './sessions';

const GONE = 'That conversation no longer exists.';

/** The longest title kept; a longer one is cut. */
const MAX_TITLE_LENGTH = 200;

export interface ConversationsOptions {
  repository: Repository;
  catalog: Catalog;
  bus: EventBus;
  sessions: Sessions;
  runs: Runs;
}

/** Creating, changing and deleting conversations and messages; every change is told to the tabs. */
export class Conversations {
  readonly #repository: Repository;
  readonly #catalog: Catalog;
  readonly #bus: EventBus;
  readonly #sessions: Sessions;
  readonly #runs: Runs;

  constructor(options: ConversationsOptions) {
    this.#repository = options.repository;
    this.#catalog = options.catalog;
    this.#bus = options.bus;
    this.#sessions = options.sessions;
    this.#runs = options.runs;
  }

  /** A new conversation; unset fields come from the settings (the model used last). */
  async create(input: ConversationInput = {}): Promise<Result<Conversation>> {
    const settings = await this.#catalog.settings();
    const now = Date.now();
    const conversation: Conversation = {
      id: newId(),
      title: input.title?.trim().slice(0, MAX_TITLE_LENGTH) || NEW_CHAT_TITLE,
      activeLeafId: null,
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

  /** Change the title, model or system prompt (an empty one clears it). An empty title is refused. */
  async update(conversationId: string, patch: ConversationPatch): Promise<Result<Conversation>> {
    if (patch.title !== undefined && !patch.title.trim()) return fail('config', 'A title cannot be empty.');
    let conversation: Conversation | undefined;
    try {
      conversation = await this.#repository.updateConversation(conversationId, (stored) => {
        const changes: Partial<Conversation> = {};
        if (patch.title !== undefined) changes.title = patch.title.trim().slice(0, MAX_TITLE_LENGTH);
        if (patch.providerId !== undefined) changes.providerId = patch.providerId;
        if (patch.modelId !== undefined) changes.modelId = patch.modelId;
        if (patch.systemPrompt !== undefined) changes.systemPrompt = patch.systemPrompt.trim() ? patch.systemPrompt : undefined;
        return edit(stored, changes, Date.now());
      });
    } catch (error) {
      return storageFailure(error);
    }
    if (!conversation) return fail('config', GONE);
    if (patch.modelId !== undefined || patch.providerId !== undefined) {
      await this.#catalog.noteModelUsed(conversation.providerId, conversation.modelId);
    }
    this.#bus.broadcast({ type: 'conversation-upsert', conversation });
    return ok(conversation);
  }

  /**
   * Show the branch through `messageId` in every tab: down to its most recent leaf, or — when the
   * message is already on the shown branch — as it is.
   */
  async switchBranch(conversationId: string, messageId: string): Promise<Result<Conversation>> {
    try {
      const stored = await this.#repository.getConversation(conversationId);
      if (!stored) return fail('config', GONE);
      const tree = new MessageTree(await this.#repository.listMessages(conversationId));
      if (!tree.get(messageId)) return fail('config', 'That message no longer exists.');
      if (tree.path(stored.activeLeafId).some((message) => message.id === messageId)) return ok(stored);
      const leafId = tree.latestLeafUnder(messageId);
      const conversation = await this.#repository.updateConversation(conversationId, (current) =>
        edit(current, { activeLeafId: leafId }, Date.now()),
      );
      if (!conversation) return fail('config', GONE);
      this.#bus.broadcast({ type: 'conversation-upsert', conversation });
      return ok(conversation);
    } catch (error) {
      return storageFailure(error);
    }
  }

  /** Delete a conversation and its messages; its run (if any) stops without writing. */
  async delete(conversationId: string): Promise<Result<void>> {
    const discarded = this.#runs.discard(conversationId);
    let messageIds: string[];
    try {
      messageIds = (await this.#repository.listMessages(conversationId)).map((message) => message.id);
      await this.#repository.deleteConversation(conversationId);
    } catch (error) {
      return storageFailure(error);
    }
    await discarded;
    this.#sessions.forget(conversationId);
    this.#bus.broadcast({ type: 'conversation-delete', conversationId, messageIds });
    return ok(undefined);
  }

  /**
   * Delete a message and everything below it. When the shown branch went with it, the branch
   * shown next is the newest one left under the deleted message's parent (or in the whole
   * conversation).
   */
  async deleteMessage(conversationId: string, messageId: string): Promise<Result<void>> {
    // A reply being prepared has read the tree and is about to write below one of its messages.
    if (this.#runs.isBusy(conversationId) && !this.#runs.run(conversationId)) {
      return fail('busy', 'A reply is starting in this conversation. Try again in a moment.');
    }
    const running = this.#runs.run(conversationId)?.messageId;
    let refused = false;
    try {
      const deleted = await this.#repository.deleteMessages(conversationId, (messages) => {
        const tree = new MessageTree(messages);
        const target = tree.get(messageId);
        if (!target) return undefined;
        const doomed = new Set(tree.subtree(messageId));
        if (running && doomed.has(running)) {
          refused = true;
          return undefined;
        }
        const kept = messages.filter((message) => !doomed.has(message.id));
        const rest = new MessageTree(kept);
        const totals = totalsOf(kept);
        return {
          ids: [...doomed],
          change: (stored) => {
            // Totals are what the conversation holds (the rule sync recomputes by, too).
            const changed: Conversation = { ...stored, usage: totals.usage, cost: totals.cost, updatedAt: Date.now() };
            if (totals.costUnknown) changed.costUnknown = true;
            else delete changed.costUnknown;
            if (!stored.activeLeafId || !doomed.has(stored.activeLeafId)) return changed;
            const leafId =
              target.parentId && rest.get(target.parentId) ? rest.latestLeafUnder(target.parentId) : rest.latestLeaf();
            return edit(changed, { activeLeafId: leafId }, changed.updatedAt);
          },
        };
      });
      if (refused) return fail('busy', 'A reply below that message is still being written. Stop it first.');
      if (!deleted) return ok(undefined);
      this.#bus.toViewers(conversationId, { type: 'message-delete', conversationId, messageIds: deleted.ids });
      if (deleted.conversation) this.#bus.broadcast({ type: 'conversation-upsert', conversation: deleted.conversation });
      return ok(undefined);
    } catch (error) {
      return storageFailure(error);
    }
  }
}
