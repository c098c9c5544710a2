/**
 * An Open WebUI chat export (Settings → Chats → Export): a JSON array of chats, each a tree of
 * messages (`chat.history.messages`, linked by `parentId`, the shown one `currentId`), or for old
 * chats a flat `chat.messages` list. Reasoning that Open WebUI folds into the text as
 * `<details type="reasoning">` becomes the reply's reasoning; tool-call blocks are left out.
 * Ids are made from Open WebUI's (`open-webui:<chat id>`), so a second import adds nothing.
 */
import { appendAll } from '../../shared/arrays';
import { IMPORT_LIMITS } from '../../shared/data-limits';
import type { Conversation, Message } from '../../shared/protocol';
import { titleFromMessage } from '../../shared/title';
import { MessageTree } from '../../shared/tree';
import type { DataSet } from '../storage/data-set';
import { isRecord, record, shown, shownTitle, type Fields } from './field-reader';
import { ImportProblem } from './import-scan';
import type { ImportNotes } from './import-notes';

export function isOpenWebUiExport(data: unknown): data is unknown[] {
  return (
    Array.isArray(data) &&
    data.length > 0 &&
    data.every((entry) => isRecord(entry) && isRecord(entry.chat) && !('mapping' in entry)) &&
    data.some(
      (entry) => isRecord(entry) && isRecord(entry.chat) && (isRecord(entry.chat.history) || Array.isArray(entry.chat.messages)),
    )
  );
}

/** Open WebUI writes seconds; a few versions wrote milliseconds. */
function milliseconds(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  return value > 1e12 ? Math.round(value) : Math.round(value * 1000);
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'" };
const unescape = (text: string) => text.replace(/&(?:lt|gt|amp|quot|#39);/g, (entity) => ENTITIES[entity]);
const DETAILS = /<details type="(reasoning|tool_calls|code_interpreter)"[^>]*>([\s\S]*?)<\/details>\s*/g;

/** The answer's text, its reasoning, and how many tool blocks were cut out of it. */
function splitContent(content: string): { text: string; reasoning: string; tools: number } {
  const reasoning: string[] = [];
  let tools = 0;
  const text = content.replace(DETAILS, (_block, type: string, inner: string) => {
    if (type === 'reasoning') {
      const body = unescape(inner.replace(/<summary>[\s\S]*?<\/summary>/, ''))
        .replace(/^\s*>\s?/gm, '')
        .trim();
      if (body) reasoning.push(body);
    } else tools += 1;
    return '';
  });
  return { text: text.trim(), reasoning: reasoning.join('\n\n'), tools };
}

interface SourceMessage {
  id: string;
  parentId: string | null;
  fields: Fields;
}

/** The chat's messages with their links: the tree, or a flat list linked in order. */
function sourceMessages(chat: Fields, label: string): { messages: SourceMessage[]; currentId: unknown } {
  const history = isRecord(chat.history) ? chat.history : undefined;
  if (history && isRecord(history.messages)) {
    const messages = Object.entries(history.messages).map(([key, value]) => {
      const fields = record(value, `a message of ${label}`).record;
      const id = typeof fields.id === 'string' && fields.id ? fields.id : key;
      return { id, parentId: typeof fields.parentId === 'string' ? fields.parentId : null, fields };
    });
    return { messages, currentId: history.currentId };
  }
  if (!Array.isArray(chat.messages)) throw new ImportProblem(`${label} has no messages`);
  let previous: string | null = null;
  const messages = chat.messages.map((value, index) => {
    const fields = record(value, `message ${index + 1} of ${label}`).record;
    const id = typeof fields.id === 'string' && fields.id ? fields.id : String(index);
    const message = { id, parentId: previous, fields };
    previous = id;
    return message;
  });
  return { messages, currentId: previous };
}

function convertChat(
  entry: Fields,
  index: number,
  notes: ImportNotes,
  now: number,
): { conversation: Conversation; messages: Message[] } {
  const title = typeof entry.title === 'string' ? entry.title : '';
  const label = shownTitle(title) ? `chat “${shownTitle(title)}”` : `chat ${index + 1}`;
  if (typeof entry.id !== 'string' || !entry.id || entry.id.length > IMPORT_LIMITS.shortText) {
    throw new ImportProblem(`${label} has no id (${shown(entry.id)})`);
  }
  const conversationId = `open-webui:${entry.id}`;
  const chat = entry.chat as Fields;
  const { messages: source, currentId } = sourceMessages(chat, label);
  const byId = new Map(source.map((message) => [message.id, message]));
  const children = new Map<string | null, SourceMessage[]>();
  for (const message of source) {
    const parent =
      message.parentId !== null && byId.has(message.parentId) && message.parentId !== message.id ? message.parentId : null;
    const siblings = children.get(parent);
    if (siblings) siblings.push(message);
    else children.set(parent, [message]);
  }
  const createdAt = milliseconds(entry.created_at) ?? now;
  const messages: Message[] = [];
  const shownAt = new Map<string, string | null>();
  const stack: Array<{ message: SourceMessage; parentId: string | null; parentTime: number }> = (children.get(null) ?? []).map(
    (message) => ({ message, parentId: null, parentTime: createdAt }),
  );
  while (stack.length > 0) {
    const { message, parentId, parentTime } = stack.pop()!;
    if (shownAt.has(message.id)) continue;
    const role = message.fields.role;
    const content = typeof message.fields.content === 'string' ? message.fields.content : '';
    let below = { parentId, parentTime };
    if (role === 'user' || role === 'assistant') {
      const parts = splitContent(content);
      notes.add('tool calls and their results', parts.tools);
      if (parts.text || parts.reasoning) {
        const id = `${conversationId}:${message.id}`;
        const at = milliseconds(message.fields.timestamp) ?? parentTime;
        const row: Message = {
          id,
          conversationId,
          parentId,
          role,
          content: parts.text,
          status: 'complete',
          createdAt: at,
          updatedAt: at,
        };
        if (role === 'assistant') {
          row.finishReason = 'stop';
          if (parts.reasoning) row.reasoning = parts.reasoning;
          if (typeof message.fields.model === 'string' && message.fields.model) row.model = message.fields.model;
        }
        messages.push(row);
        below = { parentId: id, parentTime: at };
      }
    } else if (content.trim()) {
      notes.add('system messages');
    }
    shownAt.set(message.id, below.parentId);
    for (const child of children.get(message.id) ?? []) stack.push({ message: child, ...below });
  }
  notes.add('messages not linked to the rest of their conversation', source.length - shownAt.size);
  const current = typeof currentId === 'string' ? shownAt.get(currentId) : undefined;
  const conversation: Conversation = {
    id: conversationId,
    title: title.trim() || titleFromMessage(messages.find((message) => message.role === 'user')?.content ?? ''),
    activeLeafId: current ?? new MessageTree(messages).latestLeaf(),
    providerId: '',
    modelId: '',
    createdAt,
    updatedAt: milliseconds(entry.updated_at) ?? createdAt,
    usage: { promptTokens: 0, completionTokens: 0 },
    cost: 0,
  };
  return { conversation, messages };
}

/** Every chat, checked and converted before anything is written. */
export function readOpenWebUiExport(data: unknown[], notes: ImportNotes, now: number): DataSet {
  if (data.length > IMPORT_LIMITS.conversations) {
    throw new ImportProblem(`it has ${data.length} chats, more than the ${IMPORT_LIMITS.conversations} Parley imports at once`);
  }
  const dataSet: DataSet = { providers: [], models: [], conversations: [], messages: [], attachments: [] };
  const seen = new Set<string>();
  for (const [index, value] of data.entries()) {
    const { conversation, messages } = convertChat(record(value, `chat ${index + 1}`).record, index, notes, now);
    if (seen.has(conversation.id))
      throw new ImportProblem(`chat ${index + 1} has the same id as an earlier chat (${shown(conversation.id)})`);
    seen.add(conversation.id);
    if (messages.length === 0) {
      notes.add('chats with no messages');
      continue;
    }
    dataSet.conversations.push(conversation);
    appendAll(dataSet.messages, messages);
  }
  return dataSet;
}
