/**
 * What a person sees of provider quirks: reasoning collapsed with how long it took, a cost that
 * is unknown rather than $0, and "Detect local servers" filling the provider form.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalServer, Message } from '../../src/shared/protocol';
import { ChatView } from '../../src/ui/chat/ChatView';
import { formatThinkingTime } from '../../src/ui/chat/reasoning-label';
import { StoreProvider } from '../../src/ui/context';
import { SettingsPage } from '../../src/ui/settings/SettingsPage';
import { makeAppStore } from '../../src/ui/state/app-store';
import { conversation, makeFakeCore, message, replyStarted } from './fake-core';

afterEach(cleanup);

function renderChat(messages: Message[], conversations = [conversation()]) {
  const fake = makeFakeCore({ conversations, messages });
  const store = createRoot(() => makeAppStore(fake.client));
  render(() => (
    <StoreProvider store={store}>
      <ChatView conversationId="c1" onMenu={() => undefined} />
    </StoreProvider>
  ));
  return fake;
}

const reasoning = () => screen.getByTestId('reasoning') as HTMLDetailsElement;

describe('reasoning', () => {
  it('streams collapsed as “Thinking…”, then says how long it thought, never mixed into the answer', async () => {
    const { emit } = renderChat([message({ id: 'u1', role: 'user', content: 'Hi', createdAt: 1 })]);
    await screen.findByTestId('composer');
    replyStarted(message({ id: 'a1', parentId: 'u1', content: '', status: 'streaming', createdAt: 2 })).forEach(emit);
    emit({ type: 'message-delta', messageId: 'a1', seq: 1, text: '', reasoning: 'The user greets me.' });
    await waitFor(() => expect(reasoning().querySelector('summary')?.textContent).toBe('Thinking…'));
    expect(reasoning().open).toBe(false);
    emit({ type: 'message-delta', messageId: 'a1', seq: 2, text: 'Hello!', reasoningMs: 12_400 });
    await waitFor(() => expect(reasoning().querySelector('summary')?.textContent).toBe('Thought for 12 s'));
    expect(screen.getAllByTestId('message-content').at(-1)?.textContent?.trim()).toBe('Hello!');
    expect(screen.getAllByTestId('message-content').at(-1)?.textContent).not.toContain('greets');
    fireEvent.click(reasoning().querySelector('summary')!);
    expect(reasoning().open).toBe(true);
    expect(reasoning().textContent).toContain('The user greets me.');
  });

  it('a stored reply keeps its time; one stored before times were kept says “Reasoning”', async () => {
    renderChat([
      message({ id: 'u1', role: 'user', content: 'Hi', createdAt: 1 }),
      message({ id: 'a1', content: 'Yes', reasoning: 'Hm.', reasoningMs: 65_000, createdAt: 2 }),
    ]);
    await waitFor(() => expect(reasoning().querySelector('summary')?.textContent).toBe('Thought for 1 min 5 s'));
    expect(formatThinkingTime(200)).toBe('1 s');
    expect(formatThinkingTime(120_000)).toBe('2 min');
    cleanup();
    renderChat([message({ id: 'a1', content: 'Yes', reasoning: 'Hm.', createdAt: 2 })]);
    await waitFor(() => expect(reasoning().querySelector('summary')?.textContent).toBe('Reasoning'));
  });
});

describe('an unknown cost', () => {
  it('is said, never shown as $0: per reply, for the session and in the total', async () => {
    const { emit } = renderChat(
      [
        message({ id: 'u1', role: 'user', content: 'Hi', createdAt: 1 }),
        message({ id: 'a1', content: 'No usage came', costUnknown: true, createdAt: 2 }),
      ],
      [conversation({ cost: 0.0012, costUnknown: true })],
    );
    await waitFor(() => expect(screen.getByTestId('message-usage').textContent).toBe('Usage not reported · cost unknown'));
    expect(screen.getByTestId('conversation-cost').textContent).toBe('Total ≥ $0.0012');
    emit({ type: 'run-status', conversationId: 'c1', status: 'complete', sessionCost: 0, sessionCostUnknown: true });
    await waitFor(() => expect(screen.getByTestId('session-cost').textContent).toBe('unknown'));
  });
});

describe('Detect local servers', () => {
  const servers: LocalServer[] = [
    {
      presetId: 'ollama',
      name: 'Ollama',
      baseURL: 'http://localhost:11434/v1',
      models: ['llama3.2', 'qwen3', 'mistral', 'phi4'],
    },
    {
      presetId: 'lmstudio',
      name: 'LM Studio',
      baseURL: 'http://localhost:1234/v1',
      models: [],
      problem: { kind: 'cors', retryable: false, message: 'LM Studio answers web pages only with “Enable CORS” turned on.' },
    },
  ];

  async function openForm(found: LocalServer[]) {
    const fake = makeFakeCore({ providers: [], localServers: found });
    const store = createRoot(() => makeAppStore(fake.client));
    render(() => (
      <StoreProvider store={store}>
        <SettingsPage />
      </StoreProvider>
    ));
    fireEvent.click(await screen.findByTestId('add-provider'));
    fireEvent.click(screen.getByTestId('detect-local'));
    return fake;
  }

  it('lists what answered, with models or what to change, and “Use” fills the form', async () => {
    const { api } = await openForm(servers);
    await waitFor(() => expect(screen.getAllByTestId('local-server')).toHaveLength(2));
    expect(api.detectLocalServers).toHaveBeenCalledTimes(1);
    const [ollama, lmStudio] = screen.getAllByTestId('local-server');
    expect(ollama.textContent).toContain('4 models: llama3.2, qwen3, mistral and 1 more');
    expect(lmStudio.textContent).toContain('Enable CORS');
    fireEvent.click(ollama.querySelector('[data-testid="use-local-server"]')!);
    expect((screen.getByTestId('provider-preset') as HTMLSelectElement).value).toBe('ollama');
    expect((screen.getByTestId('provider-base-url') as HTMLInputElement).value).toBe('http://localhost:11434/v1');
    expect((screen.getByTestId('provider-name') as HTMLInputElement).value).toBe('Ollama');
  });

  it('says where it looked when nothing answered', async () => {
    await openForm([]);
    await waitFor(() => expect(screen.getByTestId('local-none').textContent).toContain('Ollama (11434)'));
    expect(screen.getByTestId('local-none').textContent).toContain('llama.cpp server (8080)');
  });
});
