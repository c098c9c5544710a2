import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import type { ErrorInfo, Model, Provider, ProviderInput } from '../../src/shared/protocol';
import { makeAppStore, type AppStore } from '../../src/ui/state/app-store';
import { makeFakeCore } from './fake-core';
import { StoreProvider } from '../../src/ui/context';
import { SettingsPage } from '../../src/ui/settings/SettingsPage';

const authError: ErrorInfo = {
  kind: 'auth',
  message: 'The key was rejected by OpenRouter — check the API key.',
  httpStatus: 401,
  retryable: false,
};

function provider(overrides: Partial<Provider> = {}): Provider {
  return {
    id: 'p1',
    presetId: 'openrouter',
    name: 'OpenRouter',
    baseURL: 'https://openrouter.ai/api/v1',
    apiKey: 'sk-or-v1-0123456789abcd',
    enabled: true,
    createdAt: 1,
    ...overrides,
  };
}

let store: AppStore | undefined;

async function renderSettings(initial: { providers?: Provider[]; models?: Model[] } = {}) {
  const fake = makeFakeCore({ providers: initial.providers ?? [], models: initial.models });
  store = makeAppStore(fake.client);
  const current = store;
  render(() => (
    <StoreProvider store={current}>
      <SettingsPage />
    </StoreProvider>
  ));
  await waitFor(() => expect(current.state.ready).toBe(true));
  return fake;
}

function openForm() {
  fireEvent.click(screen.getByTestId('add-provider'));
  return {
    preset: screen.getByTestId('provider-preset') as HTMLSelectElement,
    name: screen.getByTestId('provider-name') as HTMLInputElement,
    baseURL: screen.getByTestId('provider-base-url') as HTMLInputElement,
  };
}

function choosePreset(select: HTMLSelectElement, presetId: string) {
  fireEvent.change(select, { target: { value: presetId } });
}

afterEach(() => {
  cleanup();
  store?.dispose();
  store = undefined;
});

describe('SettingsPage — provider form', () => {
  it('lists every preset and prefills a local preset without a key field', async () => {
    await renderSettings();
    const form = openForm();
    const values = Array.from(form.preset.options).map((option) => option.value);
    expect(values).toEqual([
      'openai',
      'openrouter',
      'ppq',
      'anthropic',
      'deepseek',
      'groq',
      'together',
      'fireworks',
      'xai',
      'ollama',
      'lmstudio',
      'llamacpp',
      'custom',
    ]);

    choosePreset(form.preset, 'ollama');
    expect(form.baseURL.value).toBe('http://localhost:11434/v1');
    expect(form.name.value).toBe('Ollama');
    expect(screen.queryByTestId('provider-api-key')).toBeNull();

    choosePreset(form.preset, 'openrouter');
    expect(form.baseURL.value).toBe('https://openrouter.ai/api/v1');
    expect(screen.getByTestId('provider-api-key')).toBeTruthy();
    expect(screen.getByText('Get a key').getAttribute('href')).toBe('https://openrouter.ai/keys');
  });

  it('keeps a name the user typed when the preset changes; custom has an optional key', async () => {
    await renderSettings();
    const form = openForm();
    fireEvent.input(form.name, { target: { value: 'My box' } });
    choosePreset(form.preset, 'custom');
    expect(form.name.value).toBe('My box');
    expect(form.baseURL.value).toBe('');
    expect(screen.getByLabelText('API key (optional)')).toBe(screen.getByTestId('provider-api-key'));
  });

  it('refuses to save a keyed preset without a key and calls nothing', async () => {
    const { api } = await renderSettings();
    const form = openForm();
    choosePreset(form.preset, 'openai');
    fireEvent.click(screen.getByTestId('provider-save'));
    expect(screen.getByTestId('provider-error').textContent).toBe('OpenAI needs an API key.');
    expect(screen.getByTestId('provider-error').getAttribute('role')).toBe('alert');
    expect(api.testConnection).not.toHaveBeenCalled();
    expect(api.saveProvider).not.toHaveBeenCalled();
  });

  it('shows a failed connection test and does not save; "Save anyway" saves untested', async () => {
    const { api } = await renderSettings();
    api.testConnection.mockResolvedValueOnce({ ok: false, error: authError });
    const form = openForm();
    choosePreset(form.preset, 'openrouter');
    fireEvent.input(screen.getByTestId('provider-api-key'), { target: { value: 'sk-or-bad' } });
    fireEvent.click(screen.getByTestId('provider-save'));

    const error = await screen.findByTestId('provider-error');
    expect(error.textContent).toBe(authError.message);
    expect(api.saveProvider).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Save anyway' }));
    await waitFor(() => expect(api.saveProvider).toHaveBeenCalledTimes(1));
    expect(api.testConnection).toHaveBeenCalledTimes(1);
  });

  it('tests, saves the right input, closes the form, and shows the row after providers-change', async () => {
    const { api, events$ } = await renderSettings();
    const form = openForm();
    choosePreset(form.preset, 'openrouter');
    fireEvent.input(screen.getByTestId('provider-api-key'), { target: { value: ' sk-or-v1-secretkey1234 ' } });
    fireEvent.click(screen.getByTestId('provider-save'));
    expect((screen.getByTestId('provider-save') as HTMLButtonElement).disabled).toBe(true);

    await waitFor(() => expect(api.saveProvider).toHaveBeenCalledTimes(1));
    const expected: ProviderInput = {
      presetId: 'openrouter',
      name: 'OpenRouter',
      baseURL: 'https://openrouter.ai/api/v1',
      apiKey: 'sk-or-v1-secretkey1234',
      enabled: true,
    };
    expect(api.testConnection).toHaveBeenCalledWith(expected);
    expect(api.saveProvider).toHaveBeenCalledWith(expected);
    await waitFor(() => expect(screen.queryByTestId('provider-preset')).toBeNull());

    events$.next({ type: 'providers-change', providers: [provider({ id: 'new-id', apiKey: 'sk-or-v1-secretkey1234' })] });
    const row = await screen.findByTestId('provider-item');
    expect(row.getAttribute('data-id')).toBe('new-id');
    expect(row.textContent).toContain('sk-…1234');
    expect(row.textContent).not.toContain('secretkey');
  });

  it('switches the key input between password and text', async () => {
    await renderSettings();
    const form = openForm();
    choosePreset(form.preset, 'openrouter');
    const key = screen.getByTestId('provider-api-key') as HTMLInputElement;
    const toggle = screen.getByRole('button', { name: 'Show' });
    expect(key.type).toBe('password');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(toggle);
    expect(key.type).toBe('text');
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(toggle.textContent).toBe('Hide');
    fireEvent.click(toggle);
    expect(key.type).toBe('password');
  });

  it('edits an existing provider with its id kept, and Esc cancels', async () => {
    const { api } = await renderSettings({ providers: [provider()] });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const key = screen.getByTestId('provider-api-key') as HTMLInputElement;
    expect(key.type).toBe('password');
    expect(key.value).toBe('sk-or-v1-0123456789abcd');
    fireEvent.input(screen.getByTestId('provider-name'), { target: { value: 'Work router' } });
    fireEvent.click(screen.getByTestId('provider-save'));
    await waitFor(() =>
      expect(api.saveProvider).toHaveBeenCalledWith(expect.objectContaining({ id: 'p1', name: 'Work router' })),
    );

    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    fireEvent.keyDown(screen.getByTestId('provider-name'), { key: 'Escape' });
    expect(screen.queryByTestId('provider-preset')).toBeNull();
  });
});

describe('SettingsPage — provider list', () => {
  it('shows the empty state with the add button', async () => {
    await renderSettings();
    expect(screen.getByText(/any OpenAI-compatible provider/)).toBeTruthy();
    expect(screen.getByTestId('add-provider')).toBeTruthy();
    expect(screen.queryAllByTestId('provider-item')).toHaveLength(0);
  });

  it('asks before deleting, then calls deleteProvider', async () => {
    const { api } = await renderSettings({ providers: [provider()] });
    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    expect(screen.getByText('Delete OpenRouter? Conversations keep their messages.')).toBeTruthy();
    expect(api.deleteProvider).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByText(/Conversations keep their messages/)).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(api.deleteProvider).toHaveBeenCalledWith('p1'));
  });

  it('toggles enabled, tests the connection and refreshes models', async () => {
    const { api } = await renderSettings({ providers: [provider()] });
    const enabled = (await screen.findByLabelText('Enabled')) as HTMLInputElement;
    expect(enabled.checked).toBe(true);
    fireEvent.click(enabled);
    await waitFor(() => expect(api.saveProvider).toHaveBeenCalledWith(expect.objectContaining({ id: 'p1', enabled: false })));
    await waitFor(() => expect(enabled.disabled).toBe(false));

    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    expect(await screen.findByText('Connected — 3 models')).toBeTruthy();
    expect(api.testConnection).toHaveBeenCalledWith(expect.objectContaining({ id: 'p1' }));

    api.listModels.mockResolvedValueOnce({ ok: false, error: { ...authError, message: 'OpenRouter is unreachable.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Refresh models' }));
    expect(await screen.findByText('OpenRouter is unreachable.')).toBeTruthy();
    expect(api.listModels).toHaveBeenCalledWith('p1', { refresh: true });
  });
});

describe('SettingsPage — default model, theme, storage', () => {
  it('saves the theme', async () => {
    const { api } = await renderSettings();
    fireEvent.click(screen.getByLabelText('Dark'));
    await waitFor(() => expect(api.updateSettings).toHaveBeenCalledWith({ theme: 'dark' }));
  });

  it('lists models of enabled providers grouped by provider and saves the choice', async () => {
    const models: Model[] = [
      { providerId: 'p1', id: 'openai/gpt-4o', name: 'GPT-4o', fetchedAt: 1 },
      { providerId: 'p2', id: 'llama3', name: 'Llama 3', fetchedAt: 1 },
    ];
    const { api } = await renderSettings({
      providers: [provider(), provider({ id: 'p2', name: 'Off box', presetId: 'ollama', enabled: false })],
      models,
    });
    const select = screen.getByLabelText('Default model for new chats') as HTMLSelectElement;
    const groups = select.querySelectorAll('optgroup');
    expect(Array.from(groups).map((group) => group.label)).toEqual(['OpenRouter']);
    fireEvent.change(select, { target: { value: 'p1/openai/gpt-4o' } });
    await waitFor(() =>
      expect(api.updateSettings).toHaveBeenCalledWith({ activeProviderId: 'p1', activeModelId: 'openai/gpt-4o' }),
    );
  });

  it('hints to add a provider when there are no models', async () => {
    await renderSettings();
    expect(screen.getByText('Add a provider above to choose a model.')).toBeTruthy();
  });

  it('reports storage use and that the data is not persisted', async () => {
    await renderSettings();
    expect(await screen.findByText('Using 3 MB of 512 MB')).toBeTruthy();
    expect(screen.getByText("Your browser may clear Parley's data when space runs low.")).toBeTruthy();
  });
});
