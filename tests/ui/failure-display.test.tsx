/**
 * What a tab shows when something failed: the reply's text stays on screen and copyable, the
 * reason is in words, and a very long conversation loses no message on screen.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createRoot } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../src/shared/protocol';
import { ChatView } from '../../src/ui/chat/ChatView';
import { StoreProvider } from '../../src/ui/context';
import { makeAppStore } from '../../src/ui/state/app-store';
import { conversation, ending, makeFakeCore, message, replyStarted } from './fake-core';

afterEach(cleanup);
beforeEach(() => localStorage.clear());

function renderChat(messages: Message[]) {
  const fake = makeFakeCore({ conversations: [conversation()], messages });
  Object.assign(fake.api, { isOffline: vi.fn(async () => false) });
  const store = createRoot(() => makeAppStore(fake.client));
  render(() => (
    <StoreProvider store={store}>
      <ChatView conversationId="c1" onMenu={() => undefined} />
    </StoreProvider>
  ));
  return fake;
}

const articles = () => screen.queryAllByTestId('message');

describe('a reply whose final save failed (disk full)', () => {
  it('keeps every streamed word on screen with the storage error, Copy and Resume', async () => {
    const { emit } = renderChat([message({ id: 'u1', role: 'user', content: 'Tell me everything', createdAt: 1 })]);
    await waitFor(() => expect(articles()).toHaveLength(1));
    const streaming = message({ id: 'a1', parentId: 'u1', content: '', status: 'streaming', createdAt: 2 });
    replyStarted(streaming).forEach(emit);
    emit({ type: 'run-status', conversationId: 'c1', status: 'streaming', sessionCost: 0 });
    emit({ type: 'message-delta', messageId: 'a1', seq: 1, text: 'Every word ' });
    emit({ type: 'message-delta', messageId: 'a1', seq: 2, text: 'that arrived.' });
    const storage = {
      kind: 'storage' as const,
      message:
        "Your browser's storage for Parley is full. Free space (delete old conversations) or allow more storage; nothing already saved was changed.",
      retryable: false,
    };
    emit({
      type: 'message-end',
      conversationId: 'c1',
      message: ending({ ...streaming, content: 'Every word that arrived.', status: 'error', error: storage }),
    });
    emit({ type: 'run-status', conversationId: 'c1', status: 'error', error: storage, sessionCost: 0 });

    await waitFor(() => expect(articles()[1].dataset.status).toBe('error'));
    const reply = articles()[1];
    expect(reply.querySelector('[data-testid="message-content"]')?.textContent?.trim()).toBe('Every word that arrived.');
    expect(reply.querySelector('[data-testid="message-error"]')?.textContent).toMatch(/storage for Parley is full/);
    expect(reply.querySelector('[aria-label="Copy message"]')).not.toBeNull();
    expect(reply.querySelector('[data-testid="resume"]')).not.toBeNull();
  });
});

describe('a retry before the first token', () => {
  it('shows which attempt and how long it waits', async () => {
    const { emit } = renderChat([message({ id: 'u1', role: 'user', content: 'Hi', createdAt: 1 })]);
    await waitFor(() => expect(articles()).toHaveLength(1));
    replyStarted(message({ id: 'a1', parentId: 'u1', content: '', status: 'streaming', createdAt: 2 })).forEach(emit);
    const error = {
      kind: 'rate-limit' as const,
      message: 'Mock is limiting requests right now (rate limit).',
      httpStatus: 429,
      retryable: true,
      retryAfterMs: 2000,
    };
    emit({
      type: 'run-status',
      conversationId: 'c1',
      status: 'retrying',
      error,
      sessionCost: 0,
      retry: { attempt: 1, maxAttempts: 3, delayMs: 2000, error },
    });
    await waitFor(() => expect(articles()[1].textContent).toContain('Retrying 1/3 in 2 s…'));
  });
});

describe('a conversation of 5,000 messages', () => {
  // Rendering all 5,000 is the browser's job (tests/e2e/data.spec.ts); jsdom is too slow.
  it('holds every message in order, shows the latest first and earlier ones on request', async () => {
    const history = Array.from({ length: 5000 }, (_, index) =>
      message({
        id: `m${index}`,
        role: index % 2 === 0 ? 'user' : 'assistant',
        content: `Message number ${index}`,
        createdAt: index + 1,
      }),
    );
    const fake = makeFakeCore({ conversations: [conversation()], messages: history });
    Object.assign(fake.api, { isOffline: vi.fn(async () => false) });
    const store = createRoot(() => makeAppStore(fake.client));
    render(() => (
      <StoreProvider store={store}>
        <ChatView conversationId="c1" onMenu={() => undefined} />
      </StoreProvider>
    ));
    await waitFor(() => expect(articles().length).toBe(60));
    expect(store.state.messages.c1.ids).toEqual(history.map((entry) => entry.id));
    expect(articles().map((article) => article.dataset.id)).toEqual(history.slice(-60).map((entry) => entry.id));

    fireEvent.click(screen.getByRole('button', { name: 'Show 120 earlier messages' }));
    await waitFor(() => expect(articles()).toHaveLength(180));
    expect(articles()[0].dataset.id).toBe('m4820');
  }, 30_000);
});
