/**
 * What one node of a ChatGPT export's `mapping` becomes in Parley: a message (user or assistant
 * text), reasoning for the reply that follows it, or nothing — with the reason counted for the
 * report. The rules follow /work/shared/IMPORT-FORMATS.md ("Visibility", "Text"); unknown kinds
 * are left out and counted, never guessed at.
 */
import { isRecord, type Fields } from '../field-reader';

export type NodeReading =
  /** `images`: the file ids of the images it shows (`file-…`), resolved against the zip later. */
  | { kind: 'message'; role: 'user' | 'assistant'; text: string; images: string[] }
  | { kind: 'reasoning'; text: string }
  /** `why` is counted in the report; absent for structure nobody would miss (an empty root). */
  | { kind: 'hidden'; why?: string };

const HIDDEN_CONTEXT = 'custom instructions and memory notes (not imported, they stay private)';
const SYSTEM = 'system messages';
const TOOL_CALLS = 'tool calls and their results (browsing, code runs, image tools)';

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** `file-service://file-AbC` (older exports), `sediment://file_AbC` (newer): the file's id. */
function fileId(pointer: unknown): string | undefined {
  if (typeof pointer !== 'string') return undefined;
  return /(file[-_][A-Za-z0-9]+)/.exec(pointer.slice(pointer.lastIndexOf('/') + 1))?.[1];
}

/** `parts` joined with nothing (a space would split words that ChatGPT streamed in pieces); images by file id. */
function joinParts(parts: unknown): { text: string; images: string[] } {
  if (!Array.isArray(parts)) return { text: '', images: [] };
  let joined = '';
  const images: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') joined += part;
    else if (isRecord(part) && part.content_type === 'image_asset_pointer') images.push(fileId(part.asset_pointer) ?? '');
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
    return body || images.length > 0 ? { kind: 'message', role, text: body, images } : { kind: 'hidden' };
  }
  if (type === 'code') {
    const body = fenced(text(content.language) === 'unknown' ? '' : text(content.language), text(content.text));
    return body ? { kind: 'message', role, text: body, images: [] } : { kind: 'hidden' };
  }
  if (type === 'execution_output') {
    const body = fenced('', text(content.text));
    return body ? { kind: 'message', role, text: body, images: [] } : { kind: 'hidden' };
  }
  return { kind: 'hidden', why: `messages of a kind Parley does not show (${type || 'no content type'})` };
}
