import { createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import { filter } from 'rxjs';
import type { ImportProgressEvent } from '../../shared/protocol';
import { IMPORT_LIMITS } from '../../shared/data-limits';
import { useStore } from '../context';
import { formatBytes } from '../../shared/bytes';
import { describeImport, describeNotKept, describeProgress, describeUnfinished } from './import-report';

/**
 * Settings → Data → Import: files go to the core as they are (a File is a handle, not a copy);
 * the core reads, checks and writes them and sends this tab its progress.
 */
export function ImportPart(): JSX.Element {
  const { client } = useStore();
  const [busy, setBusy] = createSignal(false);
  const [progress, setProgress] = createSignal<ImportProgressEvent>();
  const [report, setReport] = createSignal<{ summary: string; notKept: string[]; unfinished?: string }>();
  const [error, setError] = createSignal<string>();

  const subscription = client.events$
    .pipe(filter((event): event is ImportProgressEvent => event.type === 'import-progress'))
    .subscribe((event) => {
      if (busy()) setProgress(event);
    });
  onCleanup(() => subscription.unsubscribe());

  const run = async (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    // Cleared so that choosing the same file again (after fixing it) imports again.
    input.value = '';
    if (files.length === 0) return;
    setReport(undefined);
    setError(undefined);
    const size = files.reduce((sum, file) => sum + file.size, 0);
    if (size > IMPORT_LIMITS.fileBytes) {
      setError(
        `This file cannot be imported: it is ${formatBytes(size)}, more than the ${formatBytes(IMPORT_LIMITS.fileBytes)} Parley can import at once. Nothing was imported.`,
      );
      return;
    }
    setBusy(true);
    setProgress({ type: 'import-progress', phase: 'reading', done: 0, total: size });
    try {
      const result = await client.api.importFiles(files);
      if (result.ok) {
        setReport({
          summary: describeImport(result.value),
          notKept: describeNotKept(result.value),
          unfinished: describeUnfinished(result.value),
        });
      } else setError(result.error.message);
    } catch (thrown) {
      setError(`The import failed: ${thrown instanceof Error ? thrown.message : String(thrown)}. Nothing was imported.`);
    } finally {
      setBusy(false);
      setProgress(undefined);
    }
  };

  return (
    <div class="settings-data-part">
      <h3>Import</h3>
      <p class="settings-muted">
        A Parley export, a ChatGPT data export (the .zip as downloaded, its conversations.json, or all of its
        conversations-NNN.json files at once) or an Open WebUI chat export. Conversations already here are kept as they are;
        everything is checked before anything is written.
      </p>
      <label class="settings-data-file">
        <span class="visually-hidden">Choose files to import</span>
        <input
          type="file"
          multiple
          accept=".json,.zip,application/json,application/zip"
          data-testid="import-file"
          disabled={busy()}
          onChange={(event) => void run(event.currentTarget)}
        />
      </label>
      <Show when={progress()}>
        {(current) => (
          <div class="settings-data-progress" role="status">
            <label for="import-progress">{describeProgress(current().phase, current().done, current().total)}</label>
            <progress
              id="import-progress"
              data-testid="import-progress"
              max={current().phase === 'checking' ? undefined : Math.max(1, current().total)}
              value={current().phase === 'checking' ? undefined : current().done}
            />
          </div>
        )}
      </Show>
      <Show when={report()}>
        {(shown) => (
          <div class="settings-data-report" role="status">
            <p data-testid="import-report">{shown().summary}</p>
            <Show when={shown().notKept.length > 0}>
              <p class="settings-muted">Left out:</p>
              <ul class="settings-data-notes" data-testid="import-not-kept">
                <For each={shown().notKept}>{(line) => <li>{line}</li>}</For>
              </ul>
            </Show>
            <Show when={shown().unfinished}>
              <p class="settings-error" role="alert" data-testid="import-error">
                {shown().unfinished}
              </p>
            </Show>
          </div>
        )}
      </Show>
      <Show when={error()}>
        <p class="settings-error" role="alert" data-testid="import-error">
          {error()}
        </p>
      </Show>
    </div>
  );
}
