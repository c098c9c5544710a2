/**
 * A conversation imported before, met again in a newer export of the same client (ids from the
 * other client's own are stable): what happened there since comes in — the messages newer than
 * the last import of it (`importedUntil`), under a parent that is here — and nothing here is
 * overwritten. A message deleted here is older than that and stays deleted, and so does what
 * followed it there; the title stays as it is here. A message imported before without its
 * images (the export's JSON alone) takes them when they come (the zip).
 */
import { edit } from '../../shared/conversation-edits';
import type { Conversation, Message } from '../../shared/protocol';
import { totalsOf } from '../../shared/pricing';
import { messagesOf } from './schema';
import type { WriteTransaction } from './transactions';

/** An import's transaction (`writeDataSet`). */
type ImportTransaction = WriteTransaction<['providers', 'models', 'conversations', 'messages', 'attachments', 'settings']>;

/** The newest message's time (a loop: a long conversation would overflow a spread). */
function newestTime(messages: Message[]): number {
  let newest = -Infinity;
  for (const message of messages) newest = Math.max(newest, message.createdAt);
  return newest;
}

/** What a newer export added to a conversation held here. */
export interface Extended {
  /** The conversation as stored now. */
  conversation: Conversation;
  /**
   * Every message written: those added, then those held before that took their images (their
   * text without the placeholders, too).
   */
  messages: Message[];
  /** How many of `messages` are new. */
  added: number;
}

/** The messages held here with no images whose copy in the file has them, as they become. */
function withImages(held: Message[], incoming: Message[]): Message[] {
  const fromFile = new Map(incoming.map((message) => [message.id, message]));
  const completed: Message[] = [];
  for (const message of held) {
    const copy = fromFile.get(message.id);
    if (!copy?.attachments?.length || message.attachments?.length) continue;
    completed.push({ ...message, content: copy.content, attachments: copy.attachments });
  }
  return completed;
}

/**
 * Adds to `stored` what `incoming` (the file's messages of that conversation, every one) holds
 * beyond it, in the transaction; undefined when nothing is newer or completed. The file's
 * shown leaf is shown when it is one of the messages added (the other client moved on); totals are summed
 * again from the messages held.
 */
export async function extendConversation(
  transaction: ImportTransaction,
  stored: Conversation,
  imported: Conversation,
  incoming: Message[],
): Promise<Extended | undefined> {
  const messages = transaction.objectStore('messages');
  const held = await messages.index('conversation').getAll(messagesOf(stored.id));
  const here = new Set(held.map((message) => message.id));
  const both = incoming.filter((message) => here.has(message.id));
  // Nothing in common: not the same conversation any more (its messages were deleted here).
  if (both.length === 0) return undefined;
  // Imported before `importedUntil` was kept: the newest message both copies hold.
  const since = stored.importedUntil ?? newestTime(both);
  const added: Message[] = [];
  const candidates = incoming
    .filter((message) => !here.has(message.id) && message.createdAt > since)
    .sort((first, second) => first.createdAt - second.createdAt);
  for (const message of candidates) {
    if (message.parentId !== null && !here.has(message.parentId)) continue;
    await messages.put(message);
    here.add(message.id);
    added.push(message);
  }
  const completed = withImages(held, incoming);
  for (const message of completed) await messages.put(message);
  if (added.length === 0) return completed.length > 0 ? { conversation: stored, messages: completed, added: 0 } : undefined;

  const leaf = imported.activeLeafId;
  let conversation =
    leaf !== null && added.some((message) => message.id === leaf) ? edit(stored, { activeLeafId: leaf }, Date.now()) : stored;
  const totals = totalsOf([...held, ...added]);
  conversation = {
    ...conversation,
    importedUntil: Math.max(since, newestTime(incoming)),
    updatedAt: Math.max(stored.updatedAt, imported.updatedAt, newestTime(added)),
    usage: totals.usage,
    cost: totals.cost,
  };
  if (totals.costUnknown) conversation.costUnknown = true;
  else delete conversation.costUnknown;
  await transaction.objectStore('conversations').put(conversation);
  return { conversation, messages: [...added, ...completed], added: added.length };
}
