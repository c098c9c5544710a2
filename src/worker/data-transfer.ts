/**
 * Export and import of everything Parley stores (Settings → Data).
 *
 * An import, in order:
 *  1. The text is parsed and scanned whole (size, nesting, prototype keys, absurd lengths).
 *  2. The format is told apart: a Parley export (`format: "parley-export"`) or the legacy shape
 *     (the seed's `LLMConversation` list), which goes through the legacy migration path.
 *  3. Every record is checked, and rebuilt from known fields, before anything is written.
 *  4. Everything is written in ONE transaction; a stored id is skipped, never overwritten, and a
 *     failure (a full disk) writes nothing.
 *  5. Only then are tabs told what changed.
 */
import type { Conversation, ErrorInfo, ExportOptions, ImportReport, Provider, Result } from '../shared/protocol';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../shared/data-limits';
import { ImportProblem, parseImportText, scanImportData } from './import-scan';
import { isParleyExport, readParleyExport } from './import-validation';
import type { EventBus } from './session/event-bus';
import { fail, ok } from './session/results';
import type { DataSet } from './storage/data-set';
import { toStorageError } from './storage/errors';
import { parseLegacyExport } from './storage/legacy-validation';
import { DEFAULT_SETTINGS, type Repository } from './storage/repository';

/** The file an export writes (format version 1). */
export interface ExportFile extends Required<Omit<DataSet, 'settings'>> {
  format: typeof EXPORT_FORMAT;
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

/** What an import wrote, for the report and for telling the tabs. */
interface Written {
  report: ImportReport;
  /** Conversations to announce (for the legacy path: every one the file names). */
  conversationIds: string[];
  providerIds: string[];
  settingsChanged: boolean;
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
      settings: data.settings ?? { ...DEFAULT_SETTINGS, recentModels: [] },
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
    let written: Result<Written>;
    try {
      const data = parseImportText(json);
      scanImportData(data);
      written = isParleyExport(data)
        ? ok(await this.#repository.importDataSet(readParleyExport(data)))
        : await this.#importLegacy(data);
    } catch (error) {
      if (error instanceof ImportProblem) return rejection(error.reason);
      written = { ok: false, error: toStorageError(error) };
    }
    if (!written.ok) {
      const { error } = written;
      // The legacy checker's reasons already say nothing was imported.
      return error.kind === 'storage'
        ? { ok: false, error: { ...error, message: `Nothing was imported. ${error.message}` } }
        : written;
    }
    await this.#announce(written.value);
    return ok(written.value.report);
  }

  /** The seed's shape goes through the same conversion as the 1→2 schema upgrade. */
  async #importLegacy(data: unknown): Promise<Result<Written>> {
    const parsed = parseLegacyExport(data);
    if (!parsed.ok) return parsed;
    const { conversations, providers } = parsed.value;
    const result = await this.#repository.importLegacy(data);
    if (!result.ok) return result;
    const imported = result.value;
    const messagesInFile = conversations.reduce((sum, conversation) => sum + conversation.messages.length, 0);
    const skipped =
      conversations.length -
      imported.conversations +
      (messagesInFile - imported.messages) +
      (providers.length - imported.providers);
    return ok({
      report: { ...imported, skipped },
      conversationIds: conversations.map((conversation) => conversation.id),
      providerIds: imported.providers > 0 ? providers.map((provider) => provider.id) : [],
      settingsChanged: false,
    });
  }

  /** Tell every tab what the import added, as if each record had been made here. */
  async #announce(written: Written): Promise<void> {
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
