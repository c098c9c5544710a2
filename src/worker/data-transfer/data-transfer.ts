/**
 * Export and import of everything Parley stores (Settings → Data).
 *
 * An import, in order:
 *  1. The text is parsed and scanned whole (size, nesting, prototype keys, absurd lengths).
 *  2. The format is told apart: a Parley export (`format: "parley-export"`) or the legacy shape
 *     (the seed's `LLMConversation` list), converted by the legacy migration's functions.
 *  3. Every record is checked, and rebuilt from known fields, before anything is written.
 *  4. Everything is written in ONE transaction; a stored id is skipped, never overwritten, and a
 *     failure (a full disk) writes nothing.
 *  5. Only then are tabs told what changed.
 */
import type { Conversation, ErrorInfo, ExportOptions, ImportReport, Provider, Result } from '../../shared/protocol';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../../shared/data-limits';
import { fail, ok } from '../../shared/result';
import { defaultSettings } from '../../shared/settings';
import type { EventBus } from '../session/event-bus';
import type { DataSet, WriteOutcome } from '../storage/data-set';
import { toStorageError } from '../storage/errors';
import type { Repository } from '../storage/repository';
import { exportAttachment, type ExportedAttachment } from './attachment-file';
import { ImportProblem, parseImportText, scanImportData } from './import-scan';
import { readLegacyFile } from './legacy-file';
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

function withoutKey(provider: Provider): Provider {
  const { apiKey: _apiKey, ...rest } = provider;
  return rest;
}

function rejection(reason: string): { ok: false; error: ErrorInfo } {
  return fail('config', `This file cannot be imported: ${reason}. Nothing was imported.`);
}

export class DataTransfer {
  readonly #repository: Repository;
  readonly #bus: EventBus;

  constructor(repository: Repository, bus: EventBus) {
    this.#repository = repository;
    this.#bus = bus;
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

  /** A Parley export or a legacy file: checked whole, written in one transaction, or rejected. */
  async import(json: string): Promise<Result<ImportReport>> {
    let written: WriteOutcome;
    try {
      const data = parseImportText(json);
      scanImportData(data);
      written = isParleyExport(data)
        ? await this.#repository.importDataSet(readParleyExport(data))
        : // The seed's message ids were unique only per conversation.
          await this.#repository.importDataSet(readLegacyFile(data, Date.now()), { renameTakenMessageIds: true });
    } catch (error) {
      if (error instanceof ImportProblem) return rejection(error.reason);
      const info = toStorageError(error);
      return { ok: false, error: { ...info, message: `Nothing was imported. ${info.message}` } };
    }
    await this.#announce(written);
    return ok(written.report);
  }

  /** Tell every tab what the import added, as if each record had been made here. */
  async #announce(written: WriteOutcome): Promise<void> {
    try {
      if (written.conversationIds.length > 0) {
        const ids = new Set(written.conversationIds);
        const stored: Conversation[] = (await this.#repository.listConversations()).filter((conversation) =>
          ids.has(conversation.id),
        );
        for (const conversation of stored) this.#bus.broadcast({ type: 'conversation-upsert', conversation });
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
