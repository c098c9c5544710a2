/**
 * The search palette as a person uses it: Ctrl+K (or the button) opens it anywhere, results
 * come as they type, arrows and Enter open one, Esc closes. Matched words are <mark>s around
 * text, never HTML made from a message.
 */
import { cleanup, configure, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SearchHit, SearchResults } from '../../src/shared/protocol';
import { StoreProvider } from '../../src/ui/context';
import { navigate, route } from '../../src/ui/router';
import { closeSearch } from '../../src/ui/search/search-open';
import { snippetParts } from '../../src/ui/search/snippet-parts';
import { App } from '../../src/ui/shell/App';
import { makeAppStore } from '../../src/ui/state/app-store';
import { conversation, makeFakeCore } from './fake-core';
import { isSearchShortcut } from '../../src/ui/search/search-open';

// The shell's service-worker glue needs the PWA plugin's virtual module, which only a build has.
vi.mock('../../src/ui/shell/pwa', () => ({
  applyUpdate: () => undefined,
  requestPersistentStorage: () => undefined,
  updateAvailable: () => false,
  canInstall: () => false,
  install: async () => undefined,
}));

Element.prototype.scrollIntoView = vi.fn();
// The palette waits for a pause in typing before it asks; on a loaded two-core machine running
// every test file at once, the default second of patience is not always enough.
configure({ asyncUtilTimeout: 5000 });
afterEach(() => {
  closeSearch();
  cleanup();
});

function hit(overrides: Partial<SearchHit>): SearchHit {
  return {
    conversationId: 'c1',
    messageId: 'm1',
    title: 'Trip to Lisbon',
    role: 'assistant',
    createdAt: Date.UTC(2025, 2, 12),
    snippet: 'Try the custard tarts by the stop',
    matches: [{ start: 8, end: 15 }],
    ...overrides,
  };
}

const RESULTS: SearchResults = {
  query: 'custard',
  hits: [
    hit({}),
    hit({
      conversationId: 'c2',
      messageId: 'm9',
      title: 'Baking <b>notes</b>',
      role: 'user',
      snippet: '<img src=x onerror=alert(1)> custard recipe',
      matches: [{ start: 29, end: 36 }],
    }),
  ],
  conversationIds: ['c1', 'c2'],
};

function renderApp(
  data: Parameters<typeof makeFakeCore>[0] = {
    conversations: [conversation({ id: 'c1', title: 'Trip to Lisbon' }), conversation({ id: 'c2', title: 'Baking' })],
    search: (query) => (query.includes('cust') ? { ...RESULTS, query } : undefined),
  },
) {
  const fake = makeFakeCore(data);
  const store = createRoot(() => makeAppStore(fake.client));
  navigate('/settings');
  render(() => (
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  ));
  return fake;
}

describe('search palette', () => {
  it('opens with Ctrl+K, shows results as you type, moves with the arrows and opens one with Enter', async () => {
    const fake = renderApp();
    fireEvent.keyDown(document, { key: 'k', ctrlKey: true });
    const input = (await screen.findByTestId('search-input')) as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(input));

    fireEvent.input(input, { target: { value: 'cust' } });
    await waitFor(() => expect(screen.getAllByTestId('search-result')).toHaveLength(2));
    expect(fake.api.search).toHaveBeenLastCalledWith('cust', { limit: 30 });
    const [first, second] = screen.getAllByTestId('search-result');
    expect(first.dataset.conversationId).toBe('c1');
    expect(first.dataset.messageId).toBe('m1');
    expect(first.textContent).toContain('Trip to Lisbon');
    // The date in the reader's own format; the machine-readable one beside it.
    expect(first.querySelector('time')?.getAttribute('datetime')).toBe('2025-03-12T00:00:00.000Z');
    expect(first.querySelector('mark')?.textContent).toBe('custard');
    expect(first.getAttribute('aria-selected')).toBe('true');

    // Titles and snippets are text: nothing from a message becomes an element.
    expect(second.querySelector('img, b')).toBeNull();
    expect(second.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(second.querySelector('mark')?.textContent).toBe('custard');

    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(second.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(screen.queryByTestId('search-input')).toBeNull());
    expect(route()).toEqual({ name: 'conversation', conversationId: 'c2', messageId: 'm9' });
  });

  it('opens from the button and closes with Esc', async () => {
    renderApp();
    fireEvent.click(await screen.findByTestId('search-open'));
    const input = await screen.findByTestId('search-input');
    fireEvent.keyDown(input, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('search-input')).toBeNull());
  });

  it('finds a conversation by its title when none of its messages match, after the messages, and opens it', async () => {
    renderApp({
      conversations: [
        conversation({ id: 'c1', title: 'Lisbon custard tarts' }),
        conversation({ id: 'c3', title: 'Custard tart recipes', updatedAt: Date.UTC(2025, 4, 2) }),
      ],
      search: (query) => ({ ...RESULTS, query, hits: [RESULTS.hits[0]], conversationIds: ['c1'] }),
    });
    fireEvent.keyDown(document, { key: 'k', ctrlKey: true });
    const input = await screen.findByTestId('search-input');
    fireEvent.input(input, { target: { value: 'custard' } });
    const title = await screen.findByTestId('search-title-result');
    expect(title.dataset.conversationId).toBe('c3');
    expect(title.textContent).toContain('Custard tart recipes');
    expect(screen.getAllByTestId('search-result')).toHaveLength(1);
    // Listed once: a conversation some message matched is not listed again for its title.
    expect(screen.queryAllByTestId('search-title-result')).toHaveLength(1);
    expect(screen.getByRole('dialog').querySelector('.search-status')?.textContent).toBe('2 conversations match.');
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(title.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(screen.queryByTestId('search-input')).toBeNull());
    expect(route()).toEqual({ name: 'conversation', conversationId: 'c3' });
  });

  it('says when nothing matches', async () => {
    renderApp();
    fireEvent.keyDown(document, { key: 'K', ctrlKey: true });
    fireEvent.input(await screen.findByTestId('search-input'), { target: { value: 'zebra' } });
    await waitFor(() => expect(screen.getByRole('dialog').querySelector('.search-status')?.textContent).toBe('Nothing found.'));
  });
});

describe('the shortcut', () => {
  const key = (init: KeyboardEventInit) => new KeyboardEvent('keydown', { key: 'k', ...init });

  it('is Ctrl+K, or ⌘K on Apple keyboards (where Ctrl+K edits text)', () => {
    expect(isSearchShortcut(key({ ctrlKey: true }), false)).toBe(true);
    expect(isSearchShortcut(key({ metaKey: true }), false)).toBe(false);
    expect(isSearchShortcut(key({ metaKey: true }), true)).toBe(true);
    expect(isSearchShortcut(key({ ctrlKey: true }), true)).toBe(false);
    expect(isSearchShortcut(key({ ctrlKey: true, shiftKey: true }), false)).toBe(false);
  });

  it('is not taken while text is being composed, nor when the page already took the key', () => {
    expect(isSearchShortcut(key({ ctrlKey: true, isComposing: true }), false)).toBe(false);
    const taken = key({ ctrlKey: true, cancelable: true });
    taken.preventDefault();
    expect(isSearchShortcut(taken, false)).toBe(false);
  });
});

describe('the sidebar filter', () => {
  it('finds conversations by their messages as well as their titles', async () => {
    const fake = makeFakeCore({
      conversations: [
        conversation({ id: 'c1', title: 'Trip to Lisbon', updatedAt: 3 }),
        conversation({ id: 'c2', title: 'Baking', updatedAt: 2 }),
        conversation({ id: 'c3', title: 'Custard history', updatedAt: 1 }),
      ],
      search: (query) => ({ query, hits: [], conversationIds: ['c2'] }),
    });
    const store = createRoot(() => makeAppStore(fake.client));
    render(() => (
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    ));
    fireEvent.input(await screen.findByPlaceholderText('Filter by title or text'), { target: { value: 'custard' } });
    await waitFor(() => expect(screen.getAllByTestId('conversation-item').map((item) => item.dataset.id)).toEqual(['c2', 'c3']));
  });
});

describe('snippet parts', () => {
  it('cuts a snippet at its matches, ignoring ranges it cannot trust', () => {
    expect(
      snippetParts('a custard tart', [
        { start: 2, end: 9 },
        { start: 4, end: 6 },
        { start: 10, end: 99 },
      ]),
    ).toEqual([
      { text: 'a ', marked: false },
      { text: 'custard', marked: true },
      { text: ' tart', marked: false },
    ]);
  });
});
