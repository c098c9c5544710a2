/**
 * The full-text index of every message, in memory: MiniSearch (chosen by measurement, see
 * bench/README.md "Search"), one document per message. Only the message's text is indexed and
 * only its conversation id is stored: snippets are made from the stored message when asked, so
 * the index never holds a second copy of the text.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import type { Message } from '../../shared/protocol';
import { normalizeTerm, tokenize } from './terms';

interface IndexedMessage {
  id: string;
  conversationId: string;
  content: string;
}

/** A message that matched, its conversation, and the index terms it matched on (for highlighting). */
export interface IndexHit {
  messageId: string;
  conversationId: string;
  terms: string[];
  score: number;
}

/** A hit from the same conversation beyond these many is left out: one long chat must not fill the list. */
const HITS_PER_CONVERSATION = 3;

/**
 * As you type: every word of two letters or more is also a prefix ("data que" finds "database
 * queries"); a one-letter word matches itself only, or it would match half the index. Words of
 * four letters or more forgive one typo (two from ten letters on). A word being typed is more
 * likely the start of a longer one than a typo: a prefix match weighs more than a fuzzy one
 * ("datab" shows "database" before "data").
 */
const QUERY_OPTIONS = {
  combineWith: 'AND',
  prefix: (term: string) => term.length >= 2,
  fuzzy: (term: string) => (term.length >= 4 ? 0.2 : false),
  maxFuzzy: 2,
  weights: { prefix: 0.6, fuzzy: 0.3 },
} as const;

export class SearchIndex {
  /** Conversation ids stored once each: every message of a conversation points at one string. */
  readonly #conversationIds = new Map<string, string>();
  readonly #messagesOf = new Map<string, Set<string>>();
  readonly #index = new MiniSearch<IndexedMessage>({
    fields: ['content'],
    storeFields: ['conversationId'],
    tokenize,
    processTerm: normalizeTerm,
    // Discarded entries are cleaned up in small batches between other work, never all at once.
    autoVacuum: { batchSize: 500, batchWait: 20, minDirtCount: 100, minDirtFactor: 0.1 },
  });

  get size(): number {
    return this.#index.documentCount;
  }

  has(messageId: string): boolean {
    return this.#index.has(messageId);
  }

  /** Add a message, or replace what is indexed for it. Streaming replies wait for their end. */
  put(message: Pick<Message, 'id' | 'conversationId' | 'content'>): void {
    let conversationId = this.#conversationIds.get(message.conversationId);
    if (conversationId === undefined) {
      conversationId = message.conversationId;
      this.#conversationIds.set(conversationId, conversationId);
      this.#messagesOf.set(conversationId, new Set());
    }
    const document: IndexedMessage = { id: message.id, conversationId, content: message.content };
    if (this.#index.has(message.id)) this.#index.replace(document);
    else this.#index.add(document);
    this.#messagesOf.get(conversationId)!.add(message.id);
  }

  remove(messageId: string): void {
    if (!this.#index.has(messageId)) return;
    const conversationId = this.#index.getStoredFields(messageId)?.conversationId as string | undefined;
    this.#index.discard(messageId);
    if (conversationId !== undefined) this.#forget(conversationId, messageId);
  }

  removeConversation(conversationId: string): void {
    for (const messageId of this.#messagesOf.get(conversationId) ?? []) this.#index.discard(messageId);
    this.#messagesOf.delete(conversationId);
    this.#conversationIds.delete(conversationId);
  }

  #forget(conversationId: string, messageId: string): void {
    const messages = this.#messagesOf.get(conversationId);
    messages?.delete(messageId);
    if (messages?.size === 0) {
      this.#messagesOf.delete(conversationId);
      this.#conversationIds.delete(conversationId);
    }
  }

  /**
   * The best `limit` messages (at most three per conversation), and every matching
   * conversation, best first.
   */
  query(text: string, limit: number, typos = true): { hits: IndexHit[]; conversationIds: string[] } {
    const results: SearchResult[] = this.#index.search(text, typos ? QUERY_OPTIONS : { ...QUERY_OPTIONS, fuzzy: false });
    const hits: IndexHit[] = [];
    const perConversation = new Map<string, number>();
    for (const result of results) {
      const conversationId = result.conversationId as string;
      const count = perConversation.get(conversationId) ?? 0;
      perConversation.set(conversationId, count + 1);
      if (count >= HITS_PER_CONVERSATION || hits.length >= limit) continue;
      hits.push({ messageId: result.id as string, conversationId, terms: result.terms, score: result.score });
    }
    return { hits, conversationIds: [...perConversation.keys()] };
  }
}
