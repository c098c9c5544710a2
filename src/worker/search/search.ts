/**
 * Search as the core runs it: the index kept current from the core's own events, built in the
 * background after a start, and queried in one call.
 *
 * The core is a SharedWorker: a long synchronous stretch here would hold up every tab's deltas.
 * So the index is never built or loaded in one go. Order of events after a start:
 *  1. `start()` counts the messages and queues every conversation, newest first.
 *  2. The loader reads a few conversations' messages at a time (one read each) and indexes them
 *     in slices of at most ~8 ms, yielding to the event loop between slices.
 *  3. Meanwhile, events keep the index current: a message stored or a reply ended is put (the
 *     newer text wins over what the loader reads later), a deleted one is removed and remembered
 *     so the loader does not bring it back.
 *  4. A search during the build answers from what is indexed and says how far the build is.
 * Imports queue their new conversations on the same loader (`indexConversations`).
 */
import { appendAll } from '../../shared/arrays';
import type { Subscription } from 'rxjs';
import type { CoreEvent, Message, SearchHit, SearchOptions, SearchResults } from '../../shared/protocol';
import { SEARCH_LIMIT } from '../../shared/protocol';
import type { EventBus } from '../session/event-bus';
import type { Repository } from '../storage/repository';
import { SearchIndex } from './search-index';
import { makeSnippet } from './snippet';

/** The longest the loader indexes before letting other work (deltas, calls) run. */
const SLICE_MS = 4;
/** Conversations read per transaction while loading. */
const CONVERSATIONS_PER_READ = 5;

export type SearchStore = Pick<
  Repository,
  'countMessages' | 'listConversationIds' | 'listMessagesOf' | 'getMessage' | 'getMessages' | 'getConversations'
>;

/** The events that change what the index holds; the rest (deltas above all) pass it by. */
const INDEXED_EVENTS: ReadonlySet<CoreEvent['type']> = new Set([
  'message-upsert',
  'message-end',
  'message-delete',
  'conversation-delete',
]);

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Search {
  readonly #repository: SearchStore;
  #index = new SearchIndex();
  readonly #subscription: Subscription;
  /** Conversations waiting to be read into the index. */
  readonly #queue: string[] = [];
  /** Removed while the loader runs: what it read before the removal must not come back. */
  /** Message id → its conversation's. */
  readonly #removedMessages = new Map<string, string>();
  readonly #removedConversations = new Set<string>();
  #loading: Promise<void> | undefined;
  /** Events are applied one after another: a removal never overtakes the read of a reply that ended before it. */
  #applied: Promise<void> = Promise.resolve();
  /** Set while the loader has work: how many messages the index will hold when it is done. */
  #building: { total: number } | undefined;
  #stopped = false;

  constructor(repository: SearchStore, bus: EventBus) {
    this.#repository = repository;
    this.#subscription = bus.events$.subscribe(({ event }) => {
      if (!INDEXED_EVENTS.has(event.type)) return;
      this.#applied = this.#applied.then(() => this.#apply(event)).catch(() => undefined);
    });
  }

  /**
   * Queue every stored conversation (newest first) and index them in the background, after
   * `delayMs` (the core's own start goes first). Searches meanwhile say the index is not complete.
   */
  async start(delayMs = 0): Promise<void> {
    this.#building ??= { total: this.#index.size };
    if (delayMs > 0) await pause(delayMs);
    const [total, ids] = await Promise.all([this.#repository.countMessages(), this.#repository.listConversationIds()]);
    this.indexConversations(ids, total);
  }

  /** Resolves when every event so far is applied and every queued conversation indexed (tests, the bench). */
  async settled(): Promise<void> {
    await this.#applied;
    while (this.#loading) await this.#loading;
  }

  /**
   * New conversations (an import) are indexed in the background; search finds them as they
   * land, and says it is still indexing meanwhile. `messages`: how many they hold, for that.
   */
  indexConversations(ids: string[], messages = 0): void {
    // After the events before it: a deletion that came first is known when the queue is cleaned.
    this.#applied = this.#applied.then(() => this.#enqueue(ids, messages));
  }

  #enqueue(ids: string[], messages: number): void {
    if (this.#building) this.#building.total += messages;
    else this.#building = { total: this.#index.size + messages };
    appendAll(this.#queue, ids);
    // Queued again (deleted, then imported again while the index was being built): what the
    // import wrote is there to be found.
    const queued = new Set(ids);
    for (const id of queued) this.#removedConversations.delete(id);
    for (const [messageId, conversationId] of this.#removedMessages) {
      if (queued.has(conversationId)) this.#removedMessages.delete(messageId);
    }
    this.#loading ??= this.#load().finally(() => {
      this.#loading = undefined;
      this.#building = undefined;
      this.#removedMessages.clear();
      this.#removedConversations.clear();
    });
  }

  /** Stop following events and loading, and let the index go (its memory with it). */
  stop(): void {
    this.#stopped = true;
    this.#subscription.unsubscribe();
    this.#index = new SearchIndex();
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchResults> {
    const limit = Math.max(1, Math.min(options.limit ?? SEARCH_LIMIT, SEARCH_LIMIT));
    const text = query.trim();
    // What happened before the question is in the answer (a message sent a moment ago).
    await this.#applied;
    const indexing = this.#building ? { indexed: this.#index.size, total: this.#building.total } : undefined;
    const answer = (hits: SearchHit[], conversationIds: string[]): SearchResults => ({
      query,
      hits,
      conversationIds,
      ...(indexing ? { indexing } : {}),
    });
    if (!text) return answer([], []);
    const found = this.#index.query(text, limit, options.typos !== false);
    if (found.hits.length === 0) return answer([], found.conversationIds);
    // The texts and titles come from storage: the index keeps no copy of them.
    const [messages, conversations] = await Promise.all([
      this.#repository.getMessages(found.hits.map((hit) => hit.messageId)),
      this.#repository.getConversations([...new Set(found.hits.map((hit) => hit.conversationId))]),
    ]);
    const messageById = new Map(messages.map((message) => [message.id, message]));
    const titleOf = new Map(conversations.map((conversation) => [conversation.id, conversation.title]));
    const hits: SearchHit[] = [];
    for (const hit of found.hits) {
      const message = messageById.get(hit.messageId);
      const title = titleOf.get(hit.conversationId);
      // Deleted between the query and the read.
      if (!message || title === undefined) continue;
      const snippet = makeSnippet(message.content, new Set(hit.terms));
      hits.push({
        conversationId: hit.conversationId,
        messageId: hit.messageId,
        title,
        role: message.role,
        createdAt: message.createdAt,
        snippet: snippet.text,
        matches: snippet.matches,
      });
    }
    return answer(hits, found.conversationIds);
  }

  /** Keep the index as the tabs see the data: texts when they are final, removals at once. */
  async #apply(event: CoreEvent): Promise<void> {
    switch (event.type) {
      case 'message-upsert':
        this.#put(event.message);
        return;
      case 'message-end': {
        // The event carries no text (the tabs have it from the deltas): read the stored reply.
        const message = await this.#repository.getMessage(event.message.id);
        if (message) this.#put(message);
        return;
      }
      case 'message-delete':
        for (const id of event.messageIds) {
          this.#index.remove(id);
          if (this.#loading) this.#removedMessages.set(id, event.conversationId);
        }
        return;
      case 'conversation-delete':
        this.#index.removeConversation(event.conversationId);
        for (const id of event.messageIds) this.#index.remove(id);
        if (this.#loading) this.#removedConversations.add(event.conversationId);
        return;
    }
  }

  #put(message: Message): void {
    if (message.status === 'streaming') return;
    this.#index.put(message);
  }

  async #load(): Promise<void> {
    while (this.#queue.length > 0 && !this.#stopped) {
      const ids = this.#queue.splice(0, CONVERSATIONS_PER_READ);
      let batches: Message[][];
      try {
        batches = await this.#repository.listMessagesOf(ids);
      } catch {
        // Storage failing (a newer build took the database): search keeps what it has.
        return;
      }
      let sliceStart = performance.now();
      for (const messages of batches) {
        for (const message of messages) {
          if (this.#stopped) return;
          // A message put by an event is newer than this read; a removed one stays removed.
          if (this.#index.has(message.id) || this.#removedMessages.has(message.id)) continue;
          if (this.#removedConversations.has(message.conversationId)) break;
          this.#put(message);
          if (performance.now() - sliceStart > SLICE_MS) {
            // Rest as long as it worked: at most half a core, so the tabs' own work (a cold
            // start, a scroll) is not starved on a two-core machine.
            await pause(SLICE_MS);
            sliceStart = performance.now();
          }
        }
      }
      await pause(SLICE_MS);
    }
  }
}
