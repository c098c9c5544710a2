/**
 * A branch as the provider reads it. Files become content parts only here, when a request is
 * sent: images as data URLs, text files as text with their name. Nothing is stored that way.
 */
import { bytesToBase64 } from '../../shared/base64';
import type { AttachmentRef, Message } from '../../shared/protocol';
import type { ChatTurn, ContentPart } from '../providers/client';

/** Reads a stored file; undefined when it is gone (deleted meanwhile). */
export type LoadAttachment = (attachment: AttachmentRef) => Promise<Blob | undefined>;

async function dataUrl(blob: Blob, mime: string): Promise<string> {
  return `data:${mime};base64,${bytesToBase64(new Uint8Array(await blob.arrayBuffer()))}`;
}

async function partFor(attachment: AttachmentRef, load: LoadAttachment): Promise<ContentPart | undefined> {
  const blob = await load(attachment);
  if (!blob) return undefined;
  if (attachment.kind === 'image') return { type: 'image_url', image_url: { url: await dataUrl(blob, attachment.mime) } };
  return { type: 'text', text: `<file name="${attachment.name.replace(/"/g, "'")}">\n${await blob.text()}\n</file>` };
}

/** The provider's view of a branch: system prompt first, failed empty replies left out. */
export async function toTurns(systemPrompt: string | undefined, path: Message[], load: LoadAttachment): Promise<ChatTurn[]> {
  const turns: ChatTurn[] = [];
  if (systemPrompt?.trim()) turns.push({ role: 'system', content: systemPrompt });
  for (const message of path) {
    if (message.role === 'assistant') {
      if (message.content) turns.push({ role: 'assistant', content: message.content });
    } else if (message.role === 'system') {
      turns.push({ role: 'system', content: message.content });
    } else if (!message.attachments?.length) {
      turns.push({ role: 'user', content: message.content });
    } else {
      const parts: ContentPart[] = message.content ? [{ type: 'text', text: message.content }] : [];
      for (const attachment of message.attachments) {
        const part = await partFor(attachment, load);
        if (part) parts.push(part);
      }
      turns.push({ role: 'user', content: parts });
    }
  }
  return turns;
}
