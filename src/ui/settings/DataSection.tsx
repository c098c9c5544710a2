import { createSignal, Show, type JSX } from 'solid-js';
import type { ImportReport } from '../../shared/protocol';
import { IMPORT_LIMITS } from '../../shared/data-limits';
import { useStore } from '../context';
import { formatBytes } from '../../shared/bytes';
import './data-section.css';

/** How long the download's object URL lives: long enough for any browser to start saving it. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** The report in a sentence: what was added, and what was already here. */
export function describeImport(report: ImportReport): string {
  const added = `Imported ${plural(report.conversations, 'conversation', 'conversations')}, ${plural(report.messages, 'message', 'messages')} and ${plural(report.providers, 'provider', 'providers')}.`;
  if (report.skipped === 0) return added;
  return `${added} ${plural(report.skipped, 'record was', 'records were')} already here and left as ${report.skipped === 1 ? 'it was' : 'they were'}.`;
}

/** `parley-2025-01-31.json`, in the reader's own calendar day. */
function fileName(now = new Date()): string {
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return `parley-${day}.json`;
}

function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
}

/** Settings → Data: everything out as one JSON file, and a file (Parley's or legacy) back in. */
export function DataSection(): JSX.Element {
  const { client } = useStore();
  const [includeKeys, setIncludeKeys] = createSignal(false);
  const [busy, setBusy] = createSignal<'export' | 'import'>();
  const [exportError, setExportError] = createSignal<string>();
  const [importReport, setImportReport] = createSignal<string>();
  const [importError, setImportError] = createSignal<string>();

  const runExport = async () => {
    setBusy('export');
    setExportError(undefined);
    try {
      const result = await client.api.exportData({ includeKeys: includeKeys() });
      if (result.ok) download(result.value, fileName());
      else setExportError(result.error.message);
    } catch (thrown) {
      setExportError(`The export failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    } finally {
      setBusy(undefined);
    }
  };

  const runImport = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    // Cleared so that choosing the same file again (after fixing it) imports again.
    input.value = '';
    if (!file) return;
    setImportReport(undefined);
    setImportError(undefined);
    if (file.size > IMPORT_LIMITS.fileCharacters) {
      setImportError(
        `This file cannot be imported: it is ${formatBytes(file.size)}, more than the ${formatBytes(IMPORT_LIMITS.fileCharacters)} Parley can import at once. Nothing was imported.`,
      );
      return;
    }
    setBusy('import');
    try {
      const result = await client.api.importData(await file.text());
      if (result.ok) setImportReport(describeImport(result.value));
      else setImportError(result.error.message);
    } catch (thrown) {
      setImportError(`The import failed: ${thrown instanceof Error ? thrown.message : String(thrown)}. Nothing was imported.`);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div class="settings-data">
      <div class="settings-data-part">
        <h3>Export</h3>
        <p class="settings-muted">Every conversation, provider and model list, as one JSON file.</p>
        <label class="settings-data-check">
          <input
            type="checkbox"
            data-testid="export-include-keys"
            checked={includeKeys()}
            onChange={(event) => setIncludeKeys(event.currentTarget.checked)}
          />
          Include API keys
        </label>
        <Show when={includeKeys()}>
          <p class="settings-data-warning" role="note" data-testid="export-keys-warning">
            Anyone who gets this file can use your API keys and spend your credit. Keep it private, or leave keys out.
          </p>
        </Show>
        <div class="settings-actions">
          <button
            type="button"
            class="button"
            data-testid="export-data"
            disabled={Boolean(busy())}
            onClick={() => void runExport()}
          >
            {busy() === 'export' ? 'Exporting…' : 'Export'}
          </button>
        </div>
        <Show when={exportError()}>
          <p class="settings-error" role="alert" data-testid="export-error">
            {exportError()}
          </p>
        </Show>
      </div>

      <div class="settings-data-part">
        <h3>Import</h3>
        <p class="settings-muted">
          A Parley export or an older Parley file. Conversations already here are kept as they are; the file is checked whole, and
          if anything in it is wrong nothing is imported.
        </p>
        <label class="settings-data-file">
          <span class="visually-hidden">Choose a file to import</span>
          <input
            type="file"
            accept=".json,application/json"
            data-testid="import-file"
            disabled={Boolean(busy())}
            onChange={(event) => void runImport(event.currentTarget)}
          />
        </label>
        <Show when={busy() === 'import'}>
          <p class="settings-muted" role="status">
            Importing…
          </p>
        </Show>
        <Show when={importReport()}>
          <p class="settings-data-report" role="status" data-testid="import-report">
            {importReport()}
          </p>
        </Show>
        <Show when={importError()}>
          <p class="settings-error" role="alert" data-testid="import-error">
            {importError()}
          </p>
        </Show>
      </div>
    </div>
  );
}
