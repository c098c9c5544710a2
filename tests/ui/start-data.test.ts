/** The lists a tab starts with: the first screen's conversations first, then the rest. */
import { createRoot } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { makeAppStore } from '../../src/ui/state/app-store';
import { FIRST_CONVERSATIONS } from '../../src/ui/state/start-data';
import { conversation, makeFakeCore } from './fake-core';

const many = Array.from({ length: 150 }, (_, index) =>
  conversation({ id: `c${index}`, title: `Chat ${index}`, updatedAt: 1_000_000 - index }),
);

describe('the start of a tab', () => {
  it('shows the newest conversations first, then reads every one once that screen is painted', async () => {
    const fake = makeFakeCore({ conversations: many });
    const listed = fake.api.listConversations.getMockImplementation()!;
    let releaseRest!: () => void;
    const rest = new Promise<void>((resolve) => (releaseRest = resolve));
    fake.api.listConversations.mockImplementation(async (limit?: number) => {
      if (limit === undefined) await rest;
      return listed(limit);
    });
    const store = createRoot(() => makeAppStore(fake.client));
    await vi.waitFor(() => expect(store.state.ready).toBe(true));
    expect(fake.api.listConversations).toHaveBeenNthCalledWith(1, FIRST_CONVERSATIONS);
    expect(Object.keys(store.state.conversations)).toHaveLength(FIRST_CONVERSATIONS);
    expect(store.state.conversations.c0?.title).toBe('Chat 0');
    await vi.waitFor(() => expect(fake.api.listConversations).toHaveBeenCalledTimes(2));
    releaseRest();
    await vi.waitFor(() => expect(Object.keys(store.state.conversations)).toHaveLength(150));
  });

  it('does not bring back a conversation deleted while the rest of the list was on its way', async () => {
    const fake = makeFakeCore({ conversations: many });
    const store = createRoot(() => makeAppStore(fake.client));
    await vi.waitFor(() => expect(store.state.ready).toBe(true));
    fake.emit({ type: 'conversation-delete', conversationId: 'c120', messageIds: [] });
    fake.emit({ type: 'conversation-delete', conversationId: 'c3', messageIds: [] });
    await vi.waitFor(() => expect(Object.keys(store.state.conversations)).toHaveLength(148));
    expect(store.state.conversations.c120).toBeUndefined();
    expect(store.state.conversations.c3).toBeUndefined();
  });

  it('asks for nothing more when the first screen holds them all', async () => {
    const fake = makeFakeCore({ conversations: many.slice(0, 3) });
    const store = createRoot(() => makeAppStore(fake.client));
    await vi.waitFor(() => expect(store.state.ready).toBe(true));
    expect(Object.keys(store.state.conversations)).toHaveLength(3);
    expect(fake.api.listConversations).toHaveBeenCalledTimes(1);
  });
});
