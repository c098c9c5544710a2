import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createRoot, createSignal } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/protocol';
import { ChatView } from '../../src/ui/chat/ChatView';
import { readDraft } from '../../src/ui/chat/drafts';
import { groupModels } from '../../src/ui/chat/model-filter';
import { StoreProvider } from '../../src/ui/context';
import { makeAppStore } from '../../src/ui/state/app-store';
import { conversation, makeFakeCore, message, PROVIDER, replyStarted } from './fake-core';

afterEach(cleanup);
beforeEach(() => localStorage.clear());

function renderChat(messages: Message[], conversations = [conversation()]) {
  const fake = makeFakeCore({
    conversations,
    messages,
    models: [
      {
        providerId: 'p1',
        id: 'model-a',
        name: 'Model A',
        contextLength: 128000,
        pricing: { promptPerMillion: 1, completionPerMillion: 2 },
        fetchedAt: 1,
      },
      { providerId: 'p1', id: 'model-b', name: 'Model B', fetchedAt: 1 },
    ],
  });
  const store = createRoot(() => makeAppStore(fake.client));
  const [id, setId] = createSignal('c1');
  const view = render(() => (
    <StoreProvider store={store}>
      <ChatView conversationId={id()} onMenu={() => undefined} />
    </StoreProvider>
  ));
  return { ...fake, store, view, setId };
}

const articles = () => screen.queryAllByTestId('message');

describe('messages', () => {
  it('renders every status in words, the error text, and Resume on an unfinished last reply', async () => {
    renderChat([
      message({ id: 'u1', role: 'user', content: 'Question <b>bold?</b>', createdAt: 1 }),
      message({ id: 'a1', content: 'Done', status: 'complete', createdAt: 2 }),
      message({ id: 'a2', content: 'Half', status: 'stopped', createdAt: 3 }),
      message({ id: 'a3', content: 'Cut', status: 'interrupted', createdAt: 4 }),
      message({
        id: 'a4',
        content: 'Part',
        status: 'error',
        error: { kind: 'network', message: 'The connection dropped mid-reply.', retryable: true },
        createdAt: 5,
      }),
    ]);
    await waitFor(() => expect(articles()).toHaveLength(5));
    expect(articles().map((article) => article.dataset.status)).toEqual([
      'complete',
      'complete',
      'stopped',
      'interrupted',
      'error',
    ]);
    expect(articles()[0].dataset.role).toBe('user');
    // User text is text, never markup.
    expect(articles()[0].querySelector('b')).toBeNull();
    expect(articles()[0].textContent).toContain('Question <b>bold?</b>');
    expect(articles()[2].textContent).toContain('Stopped');
    expect(articles()[3].textContent).toContain('Interrupted');
    expect(screen.getByTestId('message-error').textContent).toBe('The connection dropped mid-reply.');
    // Resume only on the last reply.
    expect(screen.getAllByTestId('resume')).toHaveLength(1);
    expect(articles()[4].querySelector('[data-testid="resume"]')).not.toBeNull();
  });

  it('a streaming reply shows Stop, hides Resume, and Send is disabled', async () => {
    const { emit } = renderChat([message({ id: 'u1', role: 'user', content: 'Hi', createdAt: 1 })]);
    await waitFor(() => expect(articles()).toHaveLength(1));
    replyStarted(message({ id: 'a1', parentId: 'u1', content: '', status: 'streaming', createdAt: 2 })).forEach(emit);
    emit({ type: 'run-status', conversationId: 'c1', status: 'streaming', sessionCost: 0 });
    emit({ type: 'message-delta', messageId: 'a1', seq: 1, text: 'Streaming text' });
    await waitFor(() => expect(articles()[1].dataset.status).toBe('streaming'));
    expect(articles()[1].textContent).toContain('Streaming text');
    expect(screen.getByTestId('stop')).toBeTruthy();
    expect(screen.queryByTestId('resume')).toBeNull();
    fireEvent.input(screen.getByTestId('composer'), { target: { value: 'next' } });
    expect((screen.getByTestId('send') as HTMLButtonElement).disabled).toBe(true);
  });

  it('keeps the messages shown when a new reply starts (its leaf is named before its message arrives)', async () => {
    const { emit } = renderChat(
      [
        message({ id: 'u1', role: 'user', content: 'Hi', createdAt: 1 }),
        message({ id: 'a1', parentId: 'u1', content: 'Hello ![logo](/logo.png)', createdAt: 2 }),
      ],
      [conversation({ activeLeafId: 'a1' })],
    );
    await waitFor(() => expect(articles()).toHaveLength(2));
    const [question, answer] = articles();
    emit({
      type: 'message-upsert',
      conversationId: 'c1',
      message: message({ id: 'u2', role: 'user', parentId: 'a1', content: 'Again', createdAt: 3 }),
    });
    // As the core sends them: the conversation's new leaf first, then the reply's message.
    replyStarted(message({ id: 'a2', parentId: 'u2', content: '', status: 'streaming', createdAt: 4 })).forEach(emit);
    await waitFor(() => expect(articles()).toHaveLength(4));
    expect(articles()[0]).toBe(question);
    expect(articles()[1]).toBe(answer);
  });

  it('shows session cost and the last reply usage', async () => {
    const { emit } = renderChat([]);
    await waitFor(() => expect(screen.getByTestId('session-cost')).toBeTruthy());
    emit({
      type: 'run-status',
      conversationId: 'c1',
      status: 'complete',
      sessionCost: 0.0012,
      usage: { promptTokens: 125, completionTokens: 480 },
    });
    await waitFor(() => expect(screen.getByTestId('session-cost').textContent).toBe('$0.0012'));
    expect(screen.getByTestId('usage').textContent).toBe('125 in · 480 out');
  });
});

describe('errors point to their fix', () => {
  it('a rejected key offers Settings; an unknown model opens the model picker', async () => {
    renderChat([
      message({ id: 'u1', role: 'user', content: 'Hi', createdAt: 1 }),
      message({
        id: 'a1',
        content: '',
        status: 'error',
        error: { kind: 'not-found', message: 'Mock doesn’t offer the model “x”.', httpStatus: 404, retryable: false },
        createdAt: 2,
      }),
    ]);
    await waitFor(() => expect(articles()).toHaveLength(2));
    expect(screen.queryByText('Open Settings')).toBeNull();
    expect(screen.getByTestId('resume').textContent).toContain('Retry');
    fireEvent.click(screen.getByText('Choose another model'));
    await waitFor(() => expect(screen.getAllByTestId('model-option').length).toBeGreaterThan(0));
  });

  it('an auth error offers Open Settings', async () => {
    renderChat([
      message({ id: 'u1', role: 'user', content: 'Hi', createdAt: 1 }),
      message({
        id: 'a1',
        content: '',
        status: 'error',
        error: { kind: 'auth', message: 'Mock rejected the API key.', httpStatus: 401, retryable: false },
        createdAt: 2,
      }),
    ]);
    await waitFor(() => expect(screen.getByText('Open Settings')).toBeTruthy());
  });
});

describe('composer', () => {
  it('Enter sends, Shift+Enter does not, Esc stops a streaming reply', async () => {
    const { api, emit } = renderChat([]);
    const composer = (await screen.findByTestId('composer')) as HTMLTextAreaElement;
    fireEvent.input(composer, { target: { value: 'line one' } });
    fireEvent.keyDown(composer, { key: 'Enter', shiftKey: true });
    expect(api.sendMessage).not.toHaveBeenCalled();
    fireEvent.keyDown(composer, { key: 'Enter' });
    await waitFor(() => expect(api.sendMessage).toHaveBeenCalledWith('c1', 'line one', []));
    await waitFor(() => expect(composer.value).toBe(''));
    emit({ type: 'run-status', conversationId: 'c1', status: 'streaming', sessionCost: 0 });
    await waitFor(() => expect(screen.getByTestId('stop')).toBeTruthy());
    fireEvent.keyDown(composer, { key: 'Escape' });
    expect(api.stopGeneration).toHaveBeenCalledWith('c1');
  });

  it('keeps the text and shows why when the core refuses (busy)', async () => {
    const { api } = renderChat([]);
    api.sendMessage.mockResolvedValueOnce({
      ok: false,
      error: { kind: 'busy', message: 'A reply is already being written.', retryable: false },
    } as never);
    const composer = (await screen.findByTestId('composer')) as HTMLTextAreaElement;
    fireEvent.input(composer, { target: { value: 'keep me' } });
    fireEvent.keyDown(composer, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('chat-error').textContent).toContain('already being written'));
    expect(composer.value).toBe('keep me');
  });

  it('Enter while a reply streams asks the core, which says why, and the text stays', async () => {
    const { api, emit } = renderChat([]);
    emit({ type: 'run-status', conversationId: 'c1', status: 'streaming', sessionCost: 0 });
    await waitFor(() => expect(screen.getByTestId('stop')).toBeTruthy());
    api.sendMessage.mockResolvedValueOnce({
      ok: false,
      error: { kind: 'busy', message: 'A reply is already being written.', retryable: false },
    } as never);
    const composer = (await screen.findByTestId('composer')) as HTMLTextAreaElement;
    fireEvent.input(composer, { target: { value: 'next question' } });
    fireEvent.keyDown(composer, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('chat-error').textContent).toContain('already being written'));
    expect(api.sendMessage).toHaveBeenCalledWith('c1', 'next question', []);
    expect(composer.value).toBe('next question');
  });

  it('what is typed or attached while a message goes out stays for the next one', async () => {
    const { api } = renderChat([]);
    let accept!: () => void;
    api.sendMessage.mockImplementationOnce(
      () =>
        new Promise((resolve) => (accept = () => resolve({ ok: true, value: { userMessageId: 'u', assistantMessageId: 'a' } }))),
    );
    const composer = (await screen.findByTestId('composer')) as HTMLTextAreaElement;
    fireEvent.input(composer, { target: { value: 'first question' } });
    fireEvent.keyDown(composer, { key: 'Enter' });
    await waitFor(() => expect(api.sendMessage).toHaveBeenCalledWith('c1', 'first question', []));
    fireEvent.input(composer, { target: { value: 'first question and a second thought' } });
    accept();
    await waitFor(() => expect(composer.value).toBe('and a second thought'));
    expect(readDraft('c1')).toBe('and a second thought');
  });

  it('the system prompt editor closes when another conversation opens: what was typed never lands there', async () => {
    const { api, setId } = renderChat([], [conversation(), conversation({ id: 'c2', title: 'Second' })]);
    fireEvent.click(await screen.findByTestId('system-prompt-toggle'));
    fireEvent.input(screen.getByTestId('system-prompt'), { target: { value: 'Be brief.' } });
    setId('c2');
    await waitFor(() => expect(screen.queryByTestId('system-prompt')).toBeNull());
    expect(api.updateConversation).not.toHaveBeenCalled();
  });

  it('keeps a draft per conversation across switches and reloads', async () => {
    const { setId, view } = renderChat([], [conversation(), conversation({ id: 'c2', title: 'Second' })]);
    const composer = () => screen.getByTestId('composer') as HTMLTextAreaElement;
    await screen.findByTestId('composer');
    fireEvent.input(composer(), { target: { value: 'draft for one' } });
    setId('c2');
    await waitFor(() => expect(composer().value).toBe(''));
    fireEvent.input(composer(), { target: { value: 'draft for two' } });
    setId('c1');
    await waitFor(() => expect(composer().value).toBe('draft for one'));
    view.unmount();
    renderChat([]);
    await waitFor(() => expect((screen.getByTestId('composer') as HTMLTextAreaElement).value).toBe('draft for one'));
  });
});

describe('model picker', () => {
  it('filters by words, shows recent models first, and picks', async () => {
    const { api } = renderChat([]);
    fireEvent.click(await screen.findByTestId('model-picker'));
    await waitFor(() => expect(screen.getAllByTestId('model-option')).toHaveLength(2));
    expect(screen.getAllByTestId('model-option')[0].textContent).toContain('128k ctx');
    expect(screen.getAllByTestId('model-option')[0].textContent).toContain('$1 in · $2 out per 1M');
    fireEvent.input(screen.getByLabelText('Search models'), { target: { value: 'model b' } });
    await waitFor(() => expect(screen.getAllByTestId('model-option')).toHaveLength(1));
    fireEvent.click(screen.getByTestId('model-option'));
    expect(api.updateConversation).toHaveBeenCalledWith('c1', { providerId: 'p1', modelId: 'model-b' });
  });

  it('groups recent first, then by provider, and leaves out disabled providers', () => {
    const models = [
      { providerId: 'p1', id: 'a', name: 'Alpha', fetchedAt: 1 },
      { providerId: 'p1', id: 'b', name: 'Beta', fetchedAt: 1 },
      { providerId: 'p2', id: 'c', name: 'Gamma', fetchedAt: 1 },
    ];
    const providers = [PROVIDER, { ...PROVIDER, id: 'p2', name: 'Off', enabled: false }];
    const groups = groupModels(models, providers, ['p1/b'], '');
    expect(groups.map((group) => [group.label, group.models.map((model) => model.id)])).toEqual([
      ['Recent', ['b']],
      ['Mock', ['a', 'b']],
    ]);
    expect(groupModels(models, providers, [], 'alp').flatMap((group) => group.models.map((model) => model.id))).toEqual(['a']);
  });
});

describe('a reply the core is not writing', () => {
  it('shows a row left "streaming" (its final save failed) as interrupted with Resume, once the session is known', async () => {
    const { emit } = renderChat([
      message({ id: 'u1', role: 'user', content: 'Hi', createdAt: 1 }),
      message({ id: 'a1', content: 'Half a reply', status: 'streaming', createdAt: 2 }),
    ]);
    await waitFor(() => expect(articles()).toHaveLength(2));
    // Until the core's snapshot arrives, the row is taken at its word.
    expect(articles()[1].dataset.status).toBe('streaming');
    emit({
      type: 'session-snapshot',
      session: {
        conversationId: 'c1',
        runStatus: 'idle',
        streaming: null,
        sessionCost: 0,
      },
    });
    await waitFor(() => expect(articles()[1].dataset.status).toBe('interrupted'));
    expect(screen.getByTestId('resume')).toBeTruthy();
  });
});
