import type { Conversation, Message } from '../../shared/protocol';
import { newId } from '../../shared/ids';
import type { PreparedAttachment } from './attachment-intake';

/** A child is always created after its parent, whatever the clocks of two devices say. */
function createdAfter(parent: Message | undefined, now: number): number {
  return Math.max(now, (parent?.createdAt ?? 0) + 1);
}

/** A new user message under `parent` (the root when undefined), listing its files. */
export function userMessage(
  conversationId: string,
  parent: Message | undefined,
  content: string,
  files: PreparedAttachment[],
): Message {
  const createdAt = createdAfter(parent, Date.now());
  const message: Message = {
    id: newId(),
    conversationId,
    parentId: parent?.id ?? null,
    role: 'user',
    content,
    status: 'complete',
    createdAt,
    updatedAt: createdAt,
  };
  if (files.length > 0) message.attachments = files.map(({ blob: _blob, ...reference }) => reference);
  return message;
}

/** An empty `streaming` reply to `parent`, from the conversation's model. */
export function newReply(
  conversation: Conversation,
  providerId: string,
  parent: Message | undefined,
  parentId: string | null,
  now: number,
): Message {
  return {
    id: newId(),
    conversationId: conversation.id,
    parentId,
    role: 'assistant',
    content: '',
    status: 'streaming',
    model: conversation.modelId,
    providerId,
    finishReason: null,
    createdAt: createdAfter(parent, now),
    updatedAt: now,
  };
}

/** An unfinished reply streaming again, in place: its text kept, its old error gone. */
export function resumedReply(reply: Message, now: number): Message {
  const { error: _error, ...rest } = reply;
  return { ...rest, status: 'streaming', updatedAt: now };
}
