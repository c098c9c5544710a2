/**
 * The message trees of an imported file: links made for formats that stored flat lists, and
 * checks for those that store trees. A message whose parent is missing, or a loop of parents,
 * would make a branch that can never be shown or sent, so such a file is refused.
 */
import type { Conversation, Message } from '../../shared/protocol';
import { byCreation, linkInOrder, MessageTree } from '../../shared/tree';
import { shown } from './field-reader';
import { ImportProblem } from './import-scan';

/** Rows (messages, files) grouped by their conversation, in the order given. */
export function byConversation<T extends { conversationId: string }>(rows: T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const list = grouped.get(row.conversationId);
    if (list) list.push(row);
    else grouped.set(row.conversationId, [row]);
  }
  return grouped;
}

/** Flat conversations (export v1): each message follows the one before it in time; the last is shown. */
export function linkFlatConversations(conversations: Conversation[], messages: Message[]): void {
  const grouped = byConversation(messages);
  for (const conversation of conversations) {
    conversation.activeLeafId = linkInOrder((grouped.get(conversation.id) ?? []).sort(byCreation));
  }
}

/**
 * Every parent is a message of the same conversation, no message is its own ancestor, and the
 * shown leaf is one of the conversation's messages (or null when it has none). `labels` name the
 * conversations as a person finds them.
 */
export function checkTrees(conversations: Conversation[], messages: Message[], labels: ReadonlyMap<string, string>): void {
  const grouped = byConversation(messages);
  for (const conversation of conversations) {
    const label = labels.get(conversation.id) ?? `conversation ${shown(conversation.id)}`;
    const own = grouped.get(conversation.id) ?? [];
    const tree = new MessageTree(own);
    for (const message of own) {
      if (message.parentId !== null && !tree.get(message.parentId)) {
        throw new ImportProblem(`a message of ${label} answers a message that is not in it (${shown(message.parentId)})`);
      }
    }
    // Every message reached from a root: anything left over sits on a loop of parents.
    let reached = 0;
    for (const root of tree.children(null)) reached += tree.subtree(root.id).length;
    if (reached !== own.length) throw new ImportProblem(`the messages of ${label} loop back on themselves`);
    if (conversation.activeLeafId !== null && !tree.get(conversation.activeLeafId)) {
      throw new ImportProblem(`${label} shows a message that is not in it (${shown(conversation.activeLeafId)})`);
    }
    if (conversation.activeLeafId === null && own.length > 0) conversation.activeLeafId = tree.latestLeaf();
  }
}
