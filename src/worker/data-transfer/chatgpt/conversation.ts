/**
 * One ChatGPT conversation (`mapping`, `current_node`) as a Parley tree. Every branch is kept:
 * each shown message's parent is its nearest shown ancestor, so the children of a hidden node
 * (system, tool, context) hang from the message above it, and the branch the user last saw
 * (`current_node`, moved up to its nearest shown ancestor) is the one shown.
 *
 * The mapping is walked from its root(s) — nodes without a parent in the mapping — never in key
 * order, and never recursively (a hostile file can nest deeper than the stack).
 */
import type { Conversation, Message, MessageStatus, FinishReason } from '../../../shared/protocol';
import { titleFromMessage } from '../../../shared/title';
import { MessageTree } from '../../../shared/tree';
import { isRecord, type Fields } from '../field-reader';
import type { ImportNotes } from '../import-notes';
import { readNode } from './content';

export interface ConvertedConversation {
  conversation: Conversation;
  messages: Message[];
  /** Message id → the file ids of the images it shows, to find in the zip. */
  images: Map<string, string[]>;
}

/** ChatGPT times are Unix seconds (fractional); null on some nodes. */
function milliseconds(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value * 1000) : undefined;
}

function ending(message: Fields): { status: MessageStatus; finishReason: FinishReason } {
  const metadata = isRecord(message.metadata) ? message.metadata : {};
  const finish = isRecord(metadata.finish_details) ? metadata.finish_details.type : undefined;
  if (finish === 'interrupted' || message.status === 'in_progress') return { status: 'stopped', finishReason: null };
  if (finish === 'max_tokens') return { status: 'complete', finishReason: 'length' };
  return { status: 'complete', finishReason: 'stop' };
}

function modelOf(message: Fields, fallback: string | undefined): string | undefined {
  const metadata = isRecord(message.metadata) ? message.metadata : {};
  const slug = metadata.model_slug ?? metadata.default_model_slug;
  return typeof slug === 'string' && slug ? slug : fallback;
}

interface Pending {
  nodeId: string;
  /** The Parley id of the nearest shown ancestor. */
  parentId: string | null;
  parentTime: number;
  /** Reasoning seen on hidden nodes above, waiting for the reply it belongs to. */
  reasoning: string;
}

/**
 * `source` has been checked to have an id and a `mapping` object. `notes` counts what is left
 * out; `now` stands in for times the export does not have.
 */
export function convertConversation(source: Fields, sourceId: string, notes: ImportNotes, now: number): ConvertedConversation {
  const mapping = source.mapping as Fields;
  const conversationId = `chatgpt:${sourceId}`;
  const createdAt = milliseconds(source.create_time) ?? now;
  const defaultModel = typeof source.default_model_slug === 'string' ? source.default_model_slug : undefined;
  const nodeIds = Object.keys(mapping).filter((id) => isRecord(mapping[id]));
  const parentOf = (id: string): string | undefined => {
    const parent = (mapping[id] as Fields).parent;
    return typeof parent === 'string' && isRecord(mapping[parent]) && parent !== id ? parent : undefined;
  };

  const messages: Message[] = [];
  /** Node id → the Parley id of the nearest shown message at or above it. */
  const shownAt = new Map<string, string | null>();
  const images = new Map<string, string[]>();
  const stack: Pending[] = nodeIds
    .filter((id) => parentOf(id) === undefined)
    .map((nodeId) => ({ nodeId, parentId: null, parentTime: createdAt, reasoning: '' }));
  while (stack.length > 0) {
    const { nodeId, parentId, parentTime, reasoning } = stack.pop()!;
    if (shownAt.has(nodeId)) continue;
    const node = mapping[nodeId] as Fields;
    const reading = readNode(node.message);
    const message = isRecord(node.message) ? node.message : {};
    let below = { parentId, parentTime, reasoning };
    if (reading.kind === 'message') {
      const id = `${conversationId}:${nodeId}`;
      const at = milliseconds(message.create_time) ?? parentTime;
      const row: Message = {
        id,
        conversationId,
        parentId,
        role: reading.role,
        content: reading.text,
        status: 'complete',
        createdAt: at,
        updatedAt: milliseconds(message.update_time) ?? at,
      };
      if (reading.role === 'assistant') {
        Object.assign(row, ending(message));
        const model = modelOf(message, defaultModel);
        if (model) row.model = model;
        if (reasoning) row.reasoning = reasoning;
      }
      messages.push(row);
      if (reading.images.length > 0) images.set(id, reading.images);
      below = { parentId: id, parentTime: at, reasoning: '' };
    } else if (reading.kind === 'reasoning') {
      below = { ...below, reasoning: [reasoning, reading.text].filter(Boolean).join('\n\n') };
    } else if (reading.why) {
      notes.add(reading.why);
    }
    shownAt.set(nodeId, below.parentId);
    const children = Array.isArray(node.children) ? node.children : [];
    for (const child of children) {
      // Only a child that names this node as its parent: the two links must agree.
      if (typeof child === 'string' && isRecord(mapping[child]) && parentOf(child) === nodeId) {
        stack.push({ nodeId: child, ...below });
      }
    }
  }
  const unreached = nodeIds.length - shownAt.size;
  notes.add('messages not linked to the rest of their conversation', unreached);

  const current = typeof source.current_node === 'string' ? shownAt.get(source.current_node) : undefined;
  const tree = new MessageTree(messages);
  const firstUser = messages.find((message) => message.role === 'user' && message.parentId === null) ?? messages[0];
  const title =
    typeof source.title === 'string' && source.title.trim() ? source.title.trim() : titleFromMessage(firstUser?.content ?? '');
  const conversation: Conversation = {
    id: conversationId,
    title,
    activeLeafId: current ?? tree.latestLeaf(),
    providerId: '',
    modelId: '',
    createdAt,
    updatedAt: milliseconds(source.update_time) ?? createdAt,
    usage: { promptTokens: 0, completionTokens: 0 },
    cost: 0,
  };
  return { conversation, messages, images };
}
