/**
 * A tab nobody can see renders nothing while a reply streams, and shows the whole reply,
 * rendered once, when it is in front again: the same DOM as the reply loaded from history.
 * The fake core behaves as the real one (tests/contract covers it): while the tab is hidden it
 * sends no deltas; shown again, a snapshot of the reply so far, then deltas.
 */
import { cleanup, render, screen, waitFor } from '@solidjs/testing-library';
import { createRoot } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CoreEvent } from '../../src/shared/protocol';
import { ChatView } from '../../src/ui/chat/ChatView';
import { StoreProvider } from '../../src/ui/context';
import * as markdownRender from '../../src/ui/markdown/render';
import { makeAppStore } from '../../src/ui/state/app-store';
import { markdownText } from '../fixtures/mock-llm-behaviours';
import { conversation, ending, makeFakeCore, message, replyStarted } from './fake-core';
import { oneShotHtml, shownHtml } from './markdown-dom';

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

afterEach(() => {
  cleanup();
  setVisibility('visible');
  vi.restoreAllMocks();
});
beforeEach(() => localStorage.clear());

const text = markdownText(400);

/** The reply's text in deltas of about a dozen characters, numbered from 1 as the core does. */
function deltas(): Array<Extract<CoreEvent, { type: 'message-delta' }>> {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += 13) pieces.push(text.slice(start, start + 13));
  return pieces.map((piece, index) => ({ type: 'message-delta', messageId: 'a1', seq: index + 1, text: piece }));
}

/**
 * A chat whose core streams `text` as deltas through `stream(upTo)`, skipping them while the tab
 * said it is hidden, and answering a tab shown again with a snapshot of the reply so far.
 */
async function streamingChat() {
  const fake = makeFakeCore({
    conversations: [conversation()],
    messages: [message({ id: 'u1', role: 'user', content: 'Show me', createdAt: 1 })],
  });
  const store = createRoot(() => makeAppStore(fake.client));
  render(() => (
    <StoreProvider store={store}>
      <ChatView conversationId="c1" onMenu={() => undefined} />
    </StoreProvider>
  ));
  const reply = () => screen.queryAllByTestId('message')[1];
  await waitFor(() => expect(screen.queryAllByTestId('message')).toHaveLength(1));
  const streaming = message({ id: 'a1', parentId: 'u1', content: '', status: 'streaming', createdAt: 2 });
  replyStarted(streaming).forEach(fake.emit);
  fake.emit({ type: 'run-status', conversationId: 'c1', status: 'streaming', sessionCost: 0 });
  await waitFor(() => expect(reply()?.dataset.status).toBe('streaming'));

  let hidden = false;
  let ended = false;
  let sent = 0;
  const all = deltas();
  fake.api.setHidden.mockImplementation(async (value: boolean) => {
    hidden = value;
    if (value) return;
    if (ended) {
      fake.emit({
        type: 'session-snapshot',
        session: { conversationId: 'c1', runStatus: 'idle', sessionCost: 0, streaming: null },
      });
      return;
    }
    const content = all
      .slice(0, sent)
      .map((delta) => delta.text)
      .join('');
    fake.emit({
      type: 'session-snapshot',
      session: {
        conversationId: 'c1',
        runStatus: 'streaming',
        sessionCost: 0,
        streaming: { messageId: 'a1', content, reasoning: '', seq: sent },
      },
    });
  });
  const stream = (upTo: number) => {
    for (; sent < upTo; sent++) if (!hidden) fake.emit(all[sent]);
  };
  const end = () => {
    ended = true;
    const final = { ...streaming, content: text, status: 'complete' as const };
    // A reply that ended while the tab was hidden comes whole: its text, then its end.
    if (hidden) fake.emit({ type: 'message-upsert', conversationId: 'c1', message: final });
    fake.emit({ type: 'message-end', conversationId: 'c1', message: ending(final) });
  };
  return { ...fake, reply, stream, end, count: all.length };
}

describe('a hidden tab', () => {
  it('renders nothing while hidden, then the reply so far in one render when it is in front', async () => {
    const chat = await streamingChat();
    chat.stream(5);
    const markup = vi.spyOn(markdownRender, 'markupOf');
    setVisibility('hidden');
    await waitFor(() => expect(chat.api.setHidden).toHaveBeenLastCalledWith(true));
    chat.stream(chat.count - 3);
    expect(markup).not.toHaveBeenCalled();

    setVisibility('visible');
    await waitFor(() => expect(chat.reply().querySelectorAll('.markdown-block').length).toBeGreaterThan(10));
    // One render: each block at most once (not once per delta it missed), the one shown before not again.
    const blocks = chat.reply().querySelectorAll('.markdown-block').length;
    expect(markup.mock.calls.length).toBeLessThanOrEqual(blocks);
    expect(markup.mock.calls.length).toBeGreaterThanOrEqual(blocks - 1);
    chat.stream(chat.count);
    chat.end();
    await waitFor(() => expect(chat.reply().dataset.status).toBe('complete'));
    expect(shownHtml(chat.reply().querySelector('.markdown')!)).toBe(oneShotHtml(text));
  });

  it('gets a reply that ended while it was hidden whole, changes nothing on the page meanwhile, and shows it when in front', async () => {
    const chat = await streamingChat();
    chat.stream(5);
    const markup = vi.spyOn(markdownRender, 'markupOf');
    setVisibility('hidden');
    const page = document.body.innerHTML;
    chat.stream(chat.count);
    chat.end();
    chat.emit({ type: 'run-status', conversationId: 'c1', status: 'idle', sessionCost: 0 });
    chat.emit({
      type: 'conversation-upsert',
      conversation: conversation({ title: 'Renamed meanwhile', activeLeafId: 'a1', updatedAt: 9 }),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(document.body.innerHTML).toBe(page);
    expect(markup).not.toHaveBeenCalled();
    setVisibility('visible');
    await waitFor(() => expect(chat.reply().dataset.status).toBe('complete'));
    expect(shownHtml(chat.reply().querySelector('.markdown')!)).toBe(oneShotHtml(text));
    expect(chat.api.listMessages).toHaveBeenCalledTimes(1); // the first load only
  });

  it('holds a delta already on its way when it was hidden, and applies it first when shown', async () => {
    const chat = await streamingChat();
    chat.stream(5);
    // The core has not heard yet: this one still arrives.
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    chat.stream(6);
    expect(chat.reply().textContent).not.toContain(deltas()[5].text.trim());
    setVisibility('visible');
    chat.stream(chat.count);
    chat.end();
    await waitFor(() => expect(chat.reply().dataset.status).toBe('complete'));
    expect(chat.api.requestSnapshot).not.toHaveBeenCalled();
    expect(shownHtml(chat.reply().querySelector('.markdown')!)).toBe(oneShotHtml(text));
  });
});
