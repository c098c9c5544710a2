/**
 * A ChatGPT data export: one or more JSON arrays of conversations (`conversations.json`, or the
 * split `conversations-000.json`, `-001.json` … of newer exports), read together. A conversation
 * listed twice (in two shards) is kept once, at its latest `update_time`. Parley's ids are made
 * from ChatGPT's (`chatgpt:<conversation_id>`), so importing the same export twice adds nothing.
 */
import { appendAll } from '../../../shared/arrays';
import { IMPORT_LIMITS } from '../../../shared/data-limits';
import type { DataSet } from '../../storage/data-set';
import { isRecord, record, shown, shownTitle, type Fields } from '../field-reader';
import { ImportProblem } from '../import-scan';
import type { ImportNotes } from '../import-notes';
import { convertConversation } from './conversation';

/** Whether a parsed document looks like ChatGPT's: a list whose conversations have a `mapping`. */
export function isChatGptExport(data: unknown): data is unknown[] {
  return (
    Array.isArray(data) &&
    data.length > 0 &&
    data.some((entry) => isRecord(entry) && isRecord(entry.mapping) && ('current_node' in entry || 'conversation_id' in entry))
  );
}

export interface ChatGptImport {
  dataSet: DataSet;
  /** Message id → the file ids of the images it shows (chatgpt/images.ts finds them in the zip). */
  images: Map<string, string[]>;
}

function idOf(fields: Fields, label: string): string {
  const value = fields.conversation_id ?? fields.id;
  if (typeof value !== 'string' || !value.trim() || value.length > IMPORT_LIMITS.shortText) {
    throw new ImportProblem(`${label} has no conversation_id (${shown(value)})`);
  }
  return value;
}

function time(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Every conversation of the documents, checked and converted before anything is written.
 * Throws an ImportProblem when a document is not a conversation list, or a conversation has no
 * id (without one, a second import could not recognise it).
 */
export function readChatGptExport(
  documents: Array<{ name: string; data: unknown }>,
  notes: ImportNotes,
  now: number,
): ChatGptImport {
  const latest = new Map<string, Fields>();
  let position = 0;
  for (const document of documents) {
    if (!Array.isArray(document.data)) throw new ImportProblem(`${document.name} is not a list of ChatGPT conversations`);
    for (const entry of document.data) {
      position += 1;
      const fields = record(entry, `conversation ${position}`).record;
      const label =
        typeof fields.title === 'string' && shownTitle(fields.title)
          ? `conversation “${shownTitle(fields.title)}”`
          : `conversation ${position}`;
      const id = idOf(fields, label);
      const earlier = latest.get(id);
      if (!earlier || time(fields.update_time) > time(earlier.update_time)) latest.set(id, fields);
    }
  }
  if (latest.size > IMPORT_LIMITS.conversations) {
    throw new ImportProblem(
      `it has ${latest.size} conversations, more than the ${IMPORT_LIMITS.conversations} Parley imports at once`,
    );
  }
  const dataSet: DataSet = { providers: [], models: [], conversations: [], messages: [], attachments: [] };
  const images = new Map<string, string[]>();
  for (const [id, fields] of latest) {
    if (!isRecord(fields.mapping)) {
      // ChatGPT writes such entries for conversations it lost; LibreChat's fixtures have one.
      notes.add('conversations with no messages in the export (damaged there)');
      continue;
    }
    const converted = convertConversation(fields, id, notes, now);
    if (converted.messages.length === 0) {
      notes.add('conversations with nothing to show (only system or tool messages)');
      continue;
    }
    dataSet.conversations.push(converted.conversation);
    appendAll(dataSet.messages, converted.messages);
    for (const [messageId, files] of converted.images) images.set(messageId, files);
  }
  return { dataSet, images };
}
