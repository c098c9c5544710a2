/**
 * What one node of a ChatGPT export's `mapping` becomes in Parley: a message (user or assistant
 * text), reasoning for the reply that follows it, or nothing — with the reason counted for the
 * report. The rules follow /work/shared/IMPORT-FORMATS.md ("Visibility", "Text"); unknown kinds
 * are left out and counted, never guessed at.
 */
import { isRecord, type Fields } from '../field-reader';

/** Shown in place of an image the export referenced (the image itself is not imported). */
export const IMAGE_PLACEHOLDER = '[image not imported]';

export type NodeReading =
  | { kind: 'message'; role: 'user' | 'assistant'; text: string; images: number }
  | { kind: 'reasoning'; text: string }
  /** `why` is counted in the report; absent for structure nobody would miss (an empty root). */
  | { kind: 'hidden'; why?: string };

const HIDDEN_CONTEXT = 'custom instructions and memory notes (not imported, they stay private)';
const SYSTEM = 'system messages';
const TOOL_CALLS = 'tool calls and their results (browsing, code runs, image tools)';

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** `parts` joined with nothing (a space would split words that ChatGPT streamed in pieces). */
function joinParts(parts: unknown): { text: string; images: number } {
  if (!Array.isArray(parts)) return { text: '', images: 0 };
  let joined = '';
  let images = 0;
  for (const part of parts) {
    if (typeof part === 'string') joined += part;
    else if (isRecord(part) && part.content_type === 'image_asset_pointer') {
      images += 1;
      // TODO(attachments): the image is in the zip as file-…; attachments are being built in
      // another branch. Until they land, a placeholder keeps the message's shape.
      joined += `${joined && !joined.endsWith('\n') ? '\n\n' : ''}${IMAGE_PLACEHOLDER}\n\n`;
    }
  }
  return { text: joined.trim(), images };
}

/** The thinking of a reasoning model: `thoughts[].content` (or summaries), one paragraph each. */
function thoughts(content: Fields): string {
  if (!Array.isArray(content.thoughts)) return '';
  return content.thoughts
    .map((thought) => (isRecord(thought) ? text(thought.content) || text(thought.summary) : ''))
    .filter(Boolean)
    .join('\n\n');
}

function fenced(language: string, body: string): string {
  return body.trim() ? `\`\`\`${language}\n${body.replace(/\n$/, '')}\n\`\`\`` : '';
}

export function readNode(message: unknown): NodeReading {
  if (!isRecord(message)) return { kind: 'hidden' };
  const author = isRecord(message.author) ? message.author : {};
  const role = author.role;
  const metadata = isRecord(message.metadata) ? message.metadata : {};
  const content = isRecord(message.content) ? message.content : {};
  const type = text(content.content_type);

  if (type === 'user_editable_context' || metadata.is_user_system_message === true)
    return { kind: 'hidden', why: HIDDEN_CONTEXT };
  if (metadata.is_visually_hidden_from_conversation === true) return { kind: 'hidden' };
  if (role === 'system') return joinParts(content.parts).text ? { kind: 'hidden', why: SYSTEM } : { kind: 'hidden' };
  if (role === 'tool') return { kind: 'hidden', why: TOOL_CALLS };
  if (role !== 'user' && role !== 'assistant') return { kind: 'hidden', why: `messages by “${text(role) || 'nobody'}”` };
  if (role === 'assistant' && message.recipient !== undefined && message.recipient !== 'all') {
    return { kind: 'hidden', why: TOOL_CALLS };
  }

  if (type === 'thoughts') return { kind: 'reasoning', text: thoughts(content) };
  // "Thought for 12 seconds": says nothing the reasoning itself does not.
  if (type === 'reasoning_recap') return { kind: 'hidden' };
  if (type === 'text' || type === 'multimodal_text') {
    const { text: body, images } = joinParts(content.parts);
    if (role === 'assistant' && message.channel === 'analysis') return { kind: 'reasoning', text: body };
    return body ? { kind: 'message', role, text: body, images } : { kind: 'hidden' };
  }
  if (type === 'code') {
    const body = fenced(text(content.language) === 'unknown' ? '' : text(content.language), text(content.text));
    return body ? { kind: 'message', role, text: body, images: 0 } : { kind: 'hidden' };
  }
  if (type === 'execution_output') {
    const body = fenced('', text(content.text));
    return body ? { kind: 'message', role, text: body, images: 0 } : { kind: 'hidden' };
  }
  return { kind: 'hidden', why: `messages of a kind Parley does not show (${type || 'no content type'})` };
}
