/**
 * Export and import of everything Parley stores (Settings → Data).
 *
 * An import, in order:
 *  1. The files are read in the core (a zip opened a piece at a time) and parsed (`reading`).
 *  2. Every document is scanned whole (size, nesting, prototype keys, absurd lengths), its
 *     format told apart by content, and every record checked and rebuilt from known fields
 *     (`checking`). A problem anywhere rejects the import: nothing has been written.
 *  3. The records are written in transactions of whole conversations (`writing`); a stored id
 *     is skipped, never overwritten, so the same file imported twice adds nothing — and a newer
 *     export of another client adds to a conversation imported before what happened there since.
 *  4. After each transaction the tabs hear of its conversations and the search index queues
 *     them. A failure part-way keeps what was written and reports what was not.
 */
import type { ErrorInfo, ExportOptions, ImportFormat, ImportPhase, ImportReport, Provider, Result } from '../../shared/protocol';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../../shared/data-limits';
import { fail, ok } from '../../shared/result';
import { defaultSettings } from '../../shared/settings';
import type { EventBus } from '../session/event-bus';
import type { DataSet, WriteOptions, WriteOutcome } from '../storage/data-set';
import { toStorageError } from '../storage/errors';
import type { Repository } from '../storage/repository';
import { exportAttachment, type ExportedAttachment } from './attachment-file';
import { canvasScaler, type ImageScaler } from '../session/attachment-intake';
import { writeInBatches } from './batched-write';
import { attachImages } from './chatgpt/images';
import { isChatGptExport, readChatGptExport } from './chatgpt/chatgpt-file';
import { readImportFiles, type ImportContents } from './import-files';
import { ImportNotes } from './import-notes';
import { ImportProblem, scanImportData } from './import-scan';
import { readLegacyFile } from './legacy-file';
import { isOpenWebUiExport, readOpenWebUiExport } from './open-webui-file';
import { isParleyExport, readParleyExport } from './parley-file';

/** The file an export writes (format version 3: conversations as trees, attachments embedded). */
export interface ExportFile extends Omit<DataSet, 'settings' | 'attachments'> {
  format: typeof EXPORT_FORMAT;
  attachments: ExportedAttachment[];
  version: typeof EXPORT_VERSION;
  /** Epoch milliseconds. */
  exportedAt: number;
  settings: DataSet['settings'];
}

/** How far an import is: bytes while reading, conversations after. */
export type ImportProgress = (phase: ImportPhase, done: number, total: number) => void;

/** What a checked import will write, and what it already knows it leaves out. */
interface CheckedImport {
  format: ImportFormat;
  data: DataSet;
  options: WriteOptions;
  notes: ImportNotes;
}

function withoutKey(provider: Provider): Provider {
  const { apiKey: _apiKey, ...rest } = provider;
  return rest;
}

function rejection(reason: string): { ok: false; error: ErrorInfo } {
  return fail('config', `This file cannot be imported: ${reason}. Nothing was imported.`);
}

const UNKNOWN_FILE =
  'it is not a file Parley knows (a Parley export, a ChatGPT data export — the .zip or its conversations.json — or an Open WebUI chat export)';

/** Tell the format apart by content, then check every record. Throws an ImportProblem. */
async function check(contents: ImportContents, now: number, scaler: ImageScaler): Promise<CheckedImport> {
  const notes = new ImportNotes();
  for (const document of contents.documents) scanImportData(document.data);
  const [first] = contents.documents;
  if (contents.documents.length > 1 || contents.archives.length > 0 || isChatGptExport(first.data)) {
    if (
      !contents.documents.every(
        (document) => isChatGptExport(document.data) || (Array.isArray(document.data) && document.data.length === 0),
      )
    ) {
      throw new ImportProblem(
        contents.documents.length > 1
          ? 'several files can be imported together only as the parts of one ChatGPT export'
          : UNKNOWN_FILE,
      );
    }
    const chatgpt = readChatGptExport(contents.documents, notes, now);
    await attachImages(chatgpt.dataSet, chatgpt.images, contents.archives, scaler, notes);
    return { format: 'chatgpt', data: chatgpt.dataSet, options: { fromOtherClient: true }, notes };
  }
  const data = first.data;
  if (isParleyExport(data)) return { format: 'parley', data: readParleyExport(data), options: {}, notes };
  if (isOpenWebUiExport(data))
    return { format: 'open-webui', data: readOpenWebUiExport(data, notes, now), options: { fromOtherClient: true }, notes };
  if (Array.isArray(data) || (typeof data === 'object' && data !== null && 'conversations' in data)) {
    // The seed's message ids were unique only per conversation.
    return { format: 'legacy', data: readLegacyFile(data, now), options: { renameTakenMessageIds: true }, notes };
  }
  throw new ImportProblem(UNKNOWN_FILE);
}

export interface DataTransferOptions {
  /** Conversations an import just stored, and how many messages they hold (the search index queues them). */
  onImported?: (conversationIds: string[], messages: number) => void;
  /** Fits imported images (the browser's canvas unless a test brings its own). */
  imageScaler?: ImageScaler;
}

export class DataTransfer {
  readonly #repository: Repository;
  readonly #bus: EventBus;
  readonly #onImported: (conversationIds: string[], messages: number) => void;
  readonly #imageScaler: ImageScaler;

  constructor(repository: Repository, bus: EventBus, options: DataTransferOptions = {}) {
    this.#repository = repository;
    this.#bus = bus;
    this.#onImported = options.onImported ?? (() => undefined);
    this.#imageScaler = options.imageScaler ?? canvasScaler;
  }

  /** Everything as one JSON document. Keys stay out unless `includeKeys`. */
  async export(options: ExportOptions): Promise<Result<string>> {
    let data: DataSet;
    try {
      data = await this.#repository.readEverything();
    } catch (error) {
      return { ok: false, error: toStorageError(error) };
    }
    const file: ExportFile = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: Date.now(),
      providers: options.includeKeys === true ? data.providers : data.providers.map(withoutKey),
      models: data.models,
      conversations: data.conversations,
      messages: data.messages,
      attachments: await Promise.all(data.attachments.map(exportAttachment)),
      settings: data.settings ?? defaultSettings(),
    };
    try {
      return ok(JSON.stringify(file, null, 2));
    } catch {
      // Only a string past the engine's limit (hundreds of MB) gets here.
      return fail('storage', 'Your history is too large to export as one file. Delete some old conversations and try again.');
    }
  }

  /** One file's text (tests, and callers that hold a string). */
  async import(json: string, onProgress?: ImportProgress): Promise<Result<ImportReport>> {
    return this.importFiles([new Blob([json], { type: 'application/json' })], onProgress);
  }

  /** See the module comment. Rejected whole until the first write; reported part by part after. */
  async importFiles(files: Blob[], onProgress: ImportProgress = () => undefined): Promise<Result<ImportReport>> {
    if (files.length === 0) return rejection('no file was chosen');
    let checked: CheckedImport;
    try {
      const contents = await readImportFiles(files, (done, total) => onProgress('reading', done, total));
      onProgress('checking', 0, 1);
      checked = await check(contents, Date.now(), this.#imageScaler);
    } catch (error) {
      if (error instanceof ImportProblem) return rejection(error.reason);
      const info = toStorageError(error);
      return { ok: false, error: { ...info, message: `Nothing was imported. ${info.message}` } };
    }
    const total = checked.data.conversations.length;
    onProgress('writing', 0, total);
    const written = await writeInBatches(this.#repository, checked.data, checked.options, async (batch, done) => {
      await this.#announce(batch);
      onProgress('writing', done, total);
    });
    const report: ImportReport = { format: checked.format, ...written.report, notKept: checked.notes.list() };
    if (written.attachments > 0) report.attachments = written.attachments;
    if (written.unfinished) report.unfinished = written.unfinished;
    if (written.report.conversations === 0 && written.unfinished) {
      return {
        ok: false,
        error: { kind: 'storage', message: `Nothing was imported. ${written.unfinished.reason}`, retryable: true },
      };
    }
    return ok(report);
  }

  /** Tell every tab what a batch added, as if each record had been made here. */
  async #announce(written: WriteOutcome): Promise<void> {
    try {
      if (written.conversationIds.length > 0) {
        const conversations = await this.#repository.getConversations(written.conversationIds);
        this.#bus.broadcast({ type: 'conversations-upsert', conversations });
        this.#onImported(written.conversationIds, written.report.messages);
      }
      // Added to conversations held before: as if each message had been written here (the
      // tabs showing them, the search index and sync all follow these events).
      for (const { conversation, messages } of written.extended) {
        for (const message of messages) {
          this.#bus.toViewers(conversation.id, { type: 'message-upsert', conversationId: conversation.id, message });
        }
        this.#bus.broadcast({ type: 'conversation-upsert', conversation });
      }
      if (written.providerIds.length > 0) {
        this.#bus.broadcast({ type: 'providers-change', providers: await this.#repository.listProviders() });
        for (const providerId of written.providerIds) {
          this.#bus.broadcast({ type: 'models-change', providerId, models: await this.#repository.listModels(providerId) });
        }
      }
      if (written.settingsChanged)
        this.#bus.broadcast({ type: 'settings-change', settings: await this.#repository.getSettings() });
    } catch {
      // The import is stored; a tab that missed the news sees it on its next load.
    }
  }
}
