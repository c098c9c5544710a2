import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import type { ImportReport, Result } from '../../src/shared/protocol';
import { IMPORT_LIMITS } from '../../src/shared/data-limits';
import { StoreProvider } from '../../src/ui/context';
import { DataSection, describeImport } from '../../src/ui/settings/DataSection';
import { makeAppStore, type AppStore } from '../../src/ui/state/app-store';
import { makeFakeCore } from './fake-core';

const EXPORTED = '{"format":"parley-export","version":1}';

let store: AppStore | undefined;

function renderSection(
  importResult: Result<ImportReport> = { ok: true, value: { conversations: 2, messages: 14, providers: 1, skipped: 3 } },
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

function chooseFile(file: { name: string; size: number; text: () => Promise<string> }) {
  const input = screen.getByTestId('import-file') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
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
  it('sends the file’s text and shows what was imported', async () => {
    const { api } = renderSection();
    chooseFile({ name: 'parley.json', size: 20, text: async () => '{"format":"parley-export"}' });
    await waitFor(() =>
      expect(screen.getByTestId('import-report').textContent).toBe(
        'Imported 2 conversations, 14 messages and 1 provider. 3 records were already here and left as they were.',
      ),
    );
    expect(api.importData).toHaveBeenCalledWith('{"format":"parley-export"}');
  });

  it('shows the reason a file was rejected', async () => {
    const reason = 'This file cannot be imported: message 12 of conversation “Trip” has no role. Nothing was imported.';
    renderSection({ ok: false, error: { kind: 'config', message: reason, retryable: false } });
    chooseFile({ name: 'bad.json', size: 20, text: async () => '{}' });
    await waitFor(() => expect(screen.getByTestId('import-error').textContent).toBe(reason));
    expect(screen.queryByTestId('import-report')).toBeNull();
  });

  it('refuses a file over the limit without reading it', async () => {
    const { api } = renderSection();
    const text = vi.fn(async () => '');
    chooseFile({ name: 'huge.json', size: IMPORT_LIMITS.fileCharacters + 1, text });
    await waitFor(() =>
      expect(screen.getByTestId('import-error').textContent).toMatch(/more than the 200 MB Parley can import at once/),
    );
    expect(text).not.toHaveBeenCalled();
    expect(api.importData).not.toHaveBeenCalled();
  });

  it('says it in one sentence when nothing was skipped', () => {
    expect(describeImport({ conversations: 1, messages: 1, providers: 0, skipped: 0 })).toBe(
      'Imported 1 conversation, 1 message and 0 providers.',
    );
  });
});
