import { cleanup, render, waitFor } from '@solidjs/testing-library';
import { createRoot, createSignal, Show } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreProvider } from '../../src/ui/context';
import { createChatSession, createConversations } from '../../src/ui/primitives';
import { makeAppStore } from '../../src/ui/state/app-store';
import { conversation, makeFakeCore, message } from './fake-core';

afterEach(cleanup);

describe('Solid primitives', () => {
  it('createChatSession reads messages first, then opens the session, and closes it on cleanup', async () => {
    const fake = makeFakeCore({
      conversations: [conversation()],
      messages: [message({ id: 'u1', role: 'user', content: 'Hi' })],
    });
    const store = createRoot(() => makeAppStore(fake.client));
    const [shown, setShown] = createSignal(true);
    let count = () => 0;
    render(() => (
      <StoreProvider store={store}>
        <Show when={shown()}>
          {(() => {
            const chat = createChatSession(() => 'c1');
            count = () => chat.messages().length;
            return null;
          })()}
        </Show>
      </StoreProvider>
    ));
    await waitFor(() => expect(fake.api.openSession).toHaveBeenCalledWith('c1'));
    expect(fake.api.listMessages.mock.invocationCallOrder[0]).toBeLessThan(fake.api.openSession.mock.invocationCallOrder[0]);
    expect(count()).toBe(1);
    setShown(false);
    await waitFor(() => expect(fake.api.closeSession).toHaveBeenCalledWith('c1'));
    expect(store.state.messages.c1).toBeUndefined();
  });

  it('createConversations sorts newest first and follows changes', async () => {
    const fake = makeFakeCore({
      conversations: [conversation({ id: 'old', updatedAt: 1 }), conversation({ id: 'c1', updatedAt: 2 })],
      messages: [],
    });
    const store = createRoot(() => makeAppStore(fake.client));
    let ids = () => [] as string[];
    render(() => (
      <StoreProvider store={store}>
        {(() => {
          const conversations = createConversations();
          ids = () => conversations().map((entry) => entry.id);
          return null;
        })()}
      </StoreProvider>
    ));
    await waitFor(() => expect(ids()).toEqual(['c1', 'old']));
    fake.emit({ type: 'conversation-upsert', conversation: conversation({ id: 'old', updatedAt: 3 }) });
    expect(ids()).toEqual(['old', 'c1']);
  });

  it('a leaf not known here yet (a reply still streaming on another device) shows the newest branch, question included', async () => {
    const fake = makeFakeCore({
      conversations: [conversation({ activeLeafId: 'a1' })],
      messages: [
        message({ id: 'u1', role: 'user', content: 'First', createdAt: 1 }),
        message({ id: 'a1', parentId: 'u1', createdAt: 2 }),
      ],
    });
    const store = createRoot(() => makeAppStore(fake.client));
    let ids = () => [] as string[];
    render(() => (
      <StoreProvider store={store}>
        {(() => {
          const chat = createChatSession(() => 'c1');
          ids = () => chat.messages().map((entry) => entry.id);
          return null;
        })()}
      </StoreProvider>
    ));
    await waitFor(() => expect(ids()).toEqual(['u1', 'a1']));
    // The question synced; its reply (the conversation's leaf) comes when it ends on the other device.
    fake.emit({ type: 'conversation-upsert', conversation: conversation({ activeLeafId: 'a2', updatedAt: 5 }) });
    fake.emit({
      type: 'message-upsert',
      conversationId: 'c1',
      message: message({ id: 'u2', role: 'user', parentId: 'a1', createdAt: 3 }),
    });
    await waitFor(() => expect(ids()).toEqual(['u1', 'a1', 'u2']));
  });
});
