import type { Conversation, ConversationInput, ConversationPatch, Result } from '../../shared/protocol';
import { newId } from '../../shared/ids';
import { fail, ok } from '../../shared/result';
import { NEW_CHAT_TITLE } from '../../shared/title';
import type { Catalog } from '../providers/catalog';
import { storageFailure } from '../storage/errors';
import type { Repository } from '../storage/repository';
import type { EventBus } from './event-bus';
import type { Runs } from './runs';
import type { Sessions } from './sessions';

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
    const stored = await this.#repository.getConversation(conversationId);
    if (!stored) return fail('config', 'That conversation no longer exists.');
    const conversation: Conversation = { ...stored };
    if (patch.title !== undefined) conversation.title = patch.title.trim().slice(0, MAX_TITLE_LENGTH);
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
    }
    this.#bus.broadcast({ type: 'conversation-upsert', conversation });
    return ok(conversation);
  }

  /** Delete a conversation and its messages; its run (if any) stops without writing. */
  async delete(conversationId: string): Promise<Result<void>> {
    const discarded = this.#runs.discard(conversationId);
    try {
      await this.#repository.deleteConversation(conversationId);
    } catch (error) {
      return storageFailure(error);
    }
    await discarded;
    this.#sessions.forget(conversationId);
    this.#bus.broadcast({ type: 'conversation-delete', conversationId });
    return ok(undefined);
  }

  async deleteMessage(conversationId: string, messageId: string): Promise<Result<void>> {
    if (this.#runs.run(conversationId)?.messageId === messageId) {
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
}
