/**
 * The attachments store's part of the transactions that write messages: files land with their
 * message and go with it, so no blob outlives the message that holds it (no orphans) and no
 * message points at a missing file.
 */
import type { AttachmentRow } from './schema';
import type { StoreName, WriteTransaction } from './transactions';

type WithAttachments = WriteTransaction<['attachments', ...StoreName[]]>;

export async function putAttachments(transaction: WithAttachments, rows: AttachmentRow[]): Promise<void> {
  const store = transaction.objectStore('attachments');
  for (const row of rows) await store.put(row);
}

/** Every file of these messages. */
export async function deleteAttachmentsOf(transaction: WithAttachments, messageIds: Iterable<string>): Promise<void> {
  const byMessage = transaction.objectStore('attachments').index('message');
  for (const messageId of messageIds) {
    for (let cursor = await byMessage.openCursor(messageId); cursor; cursor = await cursor.continue()) await cursor.delete();
  }
}

/** Every file of a conversation. */
export async function deleteConversationAttachments(transaction: WithAttachments, conversationId: string): Promise<void> {
  const byConversation = transaction.objectStore('attachments').index('conversation');
  for (let cursor = await byConversation.openCursor(conversationId); cursor; cursor = await cursor.continue())
    await cursor.delete();
}
