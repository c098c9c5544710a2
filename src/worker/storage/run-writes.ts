/**
 * The writes of a reply's life — started, checkpointed, finished, found abandoned — each one
 * transaction, so a full disk or a deleted conversation leaves everything as it was.
 */
import { addUsage } from '../../shared/pricing';
import type { Conversation, Message, Usage } from '../../shared/protocol';
import { putAttachments } from './attachments';
import type { ParleyDatabase } from './database';
import type { AttachmentRow } from './schema';
import { writeStores, type StoreName, type WriteTransaction } from './transactions';

/** A change to a conversation, applied to its stored state inside a transaction. Synchronous. */
export type ConversationChange = (stored: Conversation) => Conversation;

/** What one run adds to its conversation's totals. */
export interface RunTotals {
  usage?: Usage;
  cost: number;
  /** The run's cost is not known: the conversation's total becomes a lower bound, for good. */
  costUnknown?: boolean;
  updatedAt: number;
}

/** Applies `change` to the conversation as stored; undefined, writing nothing, when it is gone. */
export async function applyChange(
  transaction: WriteTransaction<['conversations', ...StoreName[]]>,
  id: string,
  change: ConversationChange,
): Promise<Conversation | undefined> {
  const store = transaction.objectStore('conversations');
  const stored = await store.get(id);
  if (!stored) return undefined;
  const changed = change(stored);
  await store.put(changed);
  return changed;
}

/**
 * The user's message (when new, with its files) and the `streaming` reply land together with
 * the change to their conversation (its shown branch, its title), or none of it does. Resolves
 * undefined, writing nothing, when the conversation is gone.
 */
export function startRun(
  database: ParleyDatabase,
  conversationId: string,
  change: ConversationChange,
  messages: Message[],
  attachments: AttachmentRow[],
): Promise<Conversation | undefined> {
  return writeStores(database, ['conversations', 'messages', 'attachments'], async (transaction) => {
    const conversation = await applyChange(transaction, conversationId, change);
    if (!conversation) return undefined;
    const store = transaction.objectStore('messages');
    for (const message of messages) await store.put(message);
    await putAttachments(transaction, attachments);
    return conversation;
  });
}

/**
 * Saves the partial text of a streaming reply. Returns false, writing nothing, when the row
 * was deleted meanwhile or is no longer `streaming`: a late checkpoint must neither bring a
 * deleted message back nor overwrite the final text.
 */
export function checkpointMessage(
  database: ParleyDatabase,
  id: string,
  content: string,
  reasoning: string | undefined,
  updatedAt: number,
): Promise<boolean> {
  return writeStores(database, ['messages'], async (transaction) => {
    const store = transaction.objectStore('messages');
    const message = await store.get(id);
    if (!message || message.status !== 'streaming') return false;
    message.content = content;
    if (reasoning) message.reasoning = reasoning;
    message.updatedAt = updatedAt;
    await store.put(message);
    return true;
  });
}

/**
 * The reply's final state, and the run's usage and cost added to its conversation's totals.
 * Resolves undefined, writing nothing, when the conversation was deleted while the reply ran
 * (or the reply itself was).
 */
export function finishRun(database: ParleyDatabase, message: Message, totals: RunTotals): Promise<Conversation | undefined> {
  return writeStores(database, ['conversations', 'messages'], async (transaction) => {
    const messages = transaction.objectStore('messages');
    if ((await messages.getKey(message.id)) === undefined) return undefined;
    const conversation = await applyChange(transaction, message.conversationId, (stored) => ({
      ...stored,
      updatedAt: totals.updatedAt,
      usage: totals.usage ? addUsage(stored.usage, totals.usage) : stored.usage,
      cost: stored.cost + totals.cost,
      ...(totals.costUnknown || stored.costUnknown ? { costUnknown: true } : {}),
    }));
    if (!conversation) return undefined;
    await messages.put(message);
    return conversation;
  });
}

/**
 * Every reply left `streaming` by a core that died becomes `interrupted`, keeping its text;
 * `isLive` spares the replies this core is writing itself. Returns the rows changed.
 */
export function markStreamingInterrupted(
  database: ParleyDatabase,
  now: number,
  isLive: (message: Message) => boolean,
): Promise<Message[]> {
  return writeStores(database, ['messages'], async (transaction) => {
    const marked: Message[] = [];
    const index = transaction.objectStore('messages').index('status');
    for (let cursor = await index.openCursor('streaming'); cursor; cursor = await cursor.continue()) {
      if (isLive(cursor.value)) continue;
      const message: Message = { ...cursor.value, status: 'interrupted', updatedAt: now };
      await cursor.update(message);
      marked.push(message);
    }
    return marked;
  });
}
