import { createSignal, Show, type JSX } from 'solid-js';
import { useStore } from '../context';
import { ImportPart } from './ImportPart';
import './data-section.css';

/** How long the download's object URL lives: long enough for any browser to start saving it. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

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

/** Settings → Data: everything out as one JSON file, and files (Parley's, ChatGPT's, Open WebUI's) in. */
export function DataSection(): JSX.Element {
  const { client } = useStore();
  const [includeKeys, setIncludeKeys] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [exportError, setExportError] = createSignal<string>();

  const runExport = async () => {
    setBusy(true);
    setExportError(undefined);
    try {
      const result = await client.api.exportData({ includeKeys: includeKeys() });
      if (result.ok) download(result.value, fileName());
      else setExportError(result.error.message);
    } catch (thrown) {
      setExportError(`The export failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    } finally {
      setBusy(false);
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
          <button type="button" class="button" data-testid="export-data" disabled={busy()} onClick={() => void runExport()}>
            {busy() ? 'Exporting…' : 'Export'}
          </button>
        </div>
        <Show when={exportError()}>
          <p class="settings-error" role="alert" data-testid="export-error">
            {exportError()}
          </p>
        </Show>
      </div>

      <ImportPart />
    </div>
  );
}
