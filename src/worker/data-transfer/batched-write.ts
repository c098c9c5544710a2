/**
 * Writing a checked import in bounded transactions, each a batch of whole conversations: a
 * 10,000-conversation export neither holds one transaction open for minutes nor leaves half a
 * conversation behind when the disk fills. What the batches before a failure wrote stays, and
 * the report says what did not get written.
 */
import { appendAll } from '../../shared/arrays';
import type { ImportReport, Message } from '../../shared/protocol';
import { emptyOutcome, type DataSet, type WriteOptions, type WriteOutcome } from '../storage/data-set';
import { toStorageError } from '../storage/errors';
import type { Repository } from '../storage/repository';
import { byConversation } from './trees';

/** About 50 conversations per transaction (IMPORT-FORMATS.md), fewer when they are long. */
export const BATCH_CONVERSATIONS = 50;
export const BATCH_MESSAGES = 5_000;

export interface BatchedOutcome extends WriteOutcome {
  /** Files written with the conversations. */
  attachments: number;
  unfinished?: ImportReport['unfinished'];
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The data set cut into batches; providers, models and settings go with the first, files with their messages. */
export function batches(data: DataSet): DataSet[] {
  const messagesOf = byConversation<Message>(data.messages);
  const attachmentsOf = byConversation(data.attachments);
  const result: DataSet[] = [];
  let current: DataSet = { providers: data.providers, models: data.models, conversations: [], messages: [], attachments: [] };
  if (data.settings) current.settings = data.settings;
  for (const conversation of data.conversations) {
    const messages = messagesOf.get(conversation.id) ?? [];
    if (
      current.conversations.length > 0 &&
      (current.conversations.length >= BATCH_CONVERSATIONS || current.messages.length + messages.length > BATCH_MESSAGES)
    ) {
      result.push(current);
      current = { providers: [], models: [], conversations: [], messages: [], attachments: [] };
    }
    current.conversations.push(conversation);
    appendAll(current.messages, messages);
    appendAll(current.attachments, attachmentsOf.get(conversation.id) ?? []);
  }
  result.push(current);
  return result;
}

/**
 * Write batch after batch, yielding between them. `onBatch` hears each batch written (the
 * caller tells the tabs and the search index). A failure stops the writing; the outcome
 * counts what was written and names what was not.
 */
export async function writeInBatches(
  repository: Pick<Repository, 'importDataSet'>,
  data: DataSet,
  options: WriteOptions,
  onBatch: (written: WriteOutcome, conversationsDone: number) => Promise<void> | void,
): Promise<BatchedOutcome> {
  const outcome: BatchedOutcome = { ...emptyOutcome(), attachments: 0 };
  let done = 0;
  const all = batches(data);
  for (const [index, batch] of all.entries()) {
    let written: WriteOutcome;
    try {
      written = await repository.importDataSet(batch, options);
    } catch (error) {
      const rest = all.slice(index);
      outcome.unfinished = {
        reason: toStorageError(error).message,
        conversations: rest.reduce((sum, part) => sum + part.conversations.length, 0),
        messages: rest.reduce((sum, part) => sum + part.messages.length, 0),
      };
      return outcome;
    }
    outcome.report.conversations += written.report.conversations;
    outcome.report.messages += written.report.messages;
    outcome.report.providers += written.report.providers;
    outcome.report.skipped += written.report.skipped;
    if (written.report.updated) outcome.report.updated = (outcome.report.updated ?? 0) + written.report.updated;
    appendAll(outcome.conversationIds, written.conversationIds);
    appendAll(outcome.extended, written.extended);
    appendAll(outcome.providerIds, written.providerIds);
    outcome.settingsChanged ||= written.settingsChanged;
    const added = new Set(written.conversationIds);
    const addedTo = new Set(written.extended.flatMap((extended) => extended.messages.map((message) => message.id)));
    outcome.attachments += batch.attachments.filter((row) => added.has(row.conversationId) || addedTo.has(row.messageId)).length;
    done += batch.conversations.length;
    await onBatch(written, done);
    await nextTask();
  }
  return outcome;
}
