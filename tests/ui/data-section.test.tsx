import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import type { ImportReport, Result } from '../../src/shared/protocol';
import { IMPORT_LIMITS } from '../../src/shared/data-limits';
import { StoreProvider } from '../../src/ui/context';
import { DataSection } from '../../src/ui/settings/DataSection';
import { describeImport } from '../../src/ui/settings/import-report';
import { makeAppStore, type AppStore } from '../../src/ui/state/app-store';
import { makeFakeCore } from './fake-core';

const EXPORTED = '{"format":"parley-export","version":1}';

let store: AppStore | undefined;

function renderSection(
  importResult: Result<ImportReport> = {
    ok: true,
    value: { format: 'parley', conversations: 2, messages: 14, providers: 1, skipped: 3, notKept: [] },
  },
) {
  const fake = makeFakeCore({ importResult, exported: EXPORTED, providers: [] });
  store = makeAppStore(fake.client);
  const current = store;
  render(() => (
    <StoreProvider store={current}>
      <DataSection />
    </StoreProvider>
  ));
  return fake;
}

function chooseFiles(...files: Array<{ name: string; size: number; text?: () => Promise<string> }>) {
  const input = screen.getByTestId('import-file') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  fireEvent.change(input);
}

afterEach(() => {
  cleanup();
  store?.dispose();
  store = undefined;
  vi.restoreAllMocks();
});

describe('Settings → Data: export', () => {
  it('leaves keys out by default and downloads the file through a Blob URL', async () => {
    const createObjectURL = vi.fn((_blob: Blob) => 'blob:parley/export');
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    const { api } = renderSection();

    const checkbox = screen.getByTestId('export-include-keys') as HTMLInputElement;
    expect(checkbox.checked).toBe(false);
    expect(screen.queryByTestId('export-keys-warning')).toBeNull();
    fireEvent.click(screen.getByTestId('export-data'));

    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(api.exportData).toHaveBeenCalledWith({ includeKeys: false });
    expect(clicked[0].href).toBe('blob:parley/export');
    expect(clicked[0].download).toMatch(/^parley-\d{4}-\d{2}-\d{2}\.json$/);
    const blob = createObjectURL.mock.calls[0][0];
    expect(blob.type).toBe('application/json');
    // jsdom's Blob has no text(); FileReader reads it.
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(blob);
    });
    expect(text).toBe(EXPORTED);
  });

  it('warns when keys are included, and asks the core for them', async () => {
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { api } = renderSection();
    fireEvent.click(screen.getByTestId('export-include-keys'));
    expect(screen.getByTestId('export-keys-warning').textContent).toMatch(/can use your API keys/);
    fireEvent.click(screen.getByTestId('export-data'));
    await waitFor(() => expect(api.exportData).toHaveBeenCalledWith({ includeKeys: true }));
  });
});

describe('Settings → Data: import', () => {
  it('hands the chosen files to the core unread, shows its progress, then what was imported', async () => {
    const fake = renderSection();
    let finish: (result: Result<ImportReport>) => void = () => undefined;
    fake.api.importFiles.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
    const text = vi.fn(async () => '[]');
    const parts = [
      { name: 'conversations-000.json', size: 20, text },
      { name: 'conversations-001.json', size: 30, text },
    ];
    chooseFiles(...parts);
    expect(screen.getByTestId('import-file').hasAttribute('multiple')).toBe(true);
    await waitFor(() => expect(fake.api.importFiles).toHaveBeenCalledWith(parts));
    expect(text).not.toHaveBeenCalled();

    fake.emit({ type: 'import-progress', phase: 'writing', done: 120, total: 400 });
    await waitFor(() => expect(screen.getByTestId('import-progress').getAttribute('value')).toBe('120'));
    expect(screen.getByTestId('import-progress').getAttribute('max')).toBe('400');
    expect(screen.getByText('Writing conversations… 120 of 400')).toBeTruthy();

    finish({
      ok: true,
      value: {
        format: 'chatgpt',
        conversations: 400,
        messages: 9000,
        providers: 0,
        skipped: 0,
        notKept: [{ count: 12, what: 'images not in the chosen files (choose the .zip as downloaded to bring them in)' }],
      },
    });
    await waitFor(() =>
      expect(screen.getByTestId('import-report').textContent).toBe(
        'Imported 400 conversations and 9,000 messages from a ChatGPT export.',
      ),
    );
    expect(screen.getByTestId('import-not-kept').textContent).toBe(
      'Images not in the chosen files (choose the .zip as downloaded to bring them in): 12',
    );
    expect(screen.queryByTestId('import-progress')).toBeNull();
  });

  it('says what was already here', async () => {
    renderSection();
    chooseFiles({ name: 'parley.json', size: 20 });
    await waitFor(() =>
      expect(screen.getByTestId('import-report').textContent).toBe(
        'Imported 2 conversations, 14 messages and 1 provider. 3 records were already here and left as they were.',
      ),
    );
  });

  it('shows the reason a file was rejected', async () => {
    const reason = 'This file cannot be imported: message 12 of conversation “Trip” has no role. Nothing was imported.';
    renderSection({ ok: false, error: { kind: 'config', message: reason, retryable: false } });
    chooseFiles({ name: 'bad.json', size: 20 });
    await waitFor(() => expect(screen.getByTestId('import-error').textContent).toBe(reason));
    expect(screen.queryByTestId('import-report')).toBeNull();
  });

  it('shows what was imported and what was not when the writes stopped part-way', async () => {
    renderSection({
      ok: true,
      value: {
        format: 'chatgpt',
        conversations: 50,
        messages: 700,
        providers: 0,
        skipped: 0,
        notKept: [],
        unfinished: { reason: "Your browser's storage for Parley is full.", conversations: 30, messages: 410 },
      },
    });
    chooseFiles({ name: 'chatgpt.zip', size: 20 });
    await waitFor(() =>
      expect(screen.getByTestId('import-report').textContent).toBe(
        'Imported 50 conversations and 700 messages from a ChatGPT export.',
      ),
    );
    expect(screen.getByTestId('import-error').textContent).toMatch(
      /^The import stopped part-way: 30 conversations \(410 messages\) were not imported\. Your browser's storage for Parley is full\./,
    );
  });

  it('refuses files over the limit without sending them', async () => {
    const { api } = renderSection();
    chooseFiles({ name: 'huge.zip', size: IMPORT_LIMITS.fileBytes + 1 });
    await waitFor(() =>
      expect(screen.getByTestId('import-error').textContent).toMatch(/more than the 2 GB Parley can import at once/),
    );
    expect(api.importFiles).not.toHaveBeenCalled();
  });

  it('says it in one sentence when nothing was skipped', () => {
    expect(describeImport({ format: 'parley', conversations: 1, messages: 1, providers: 0, skipped: 0, notKept: [] })).toBe(
      'Imported 1 conversation, 1 message and 0 providers.',
    );
  });

  it('says which conversations imported before a newer export added to', () => {
    expect(
      describeImport({ format: 'chatgpt', conversations: 1, messages: 4, providers: 0, skipped: 2, updated: 1, notKept: [] }),
    ).toBe(
      'Imported 1 conversation and 4 messages from a ChatGPT export. 1 conversation imported before got what was added to it since. 2 records were already here and left as they were.',
    );
  });
});
