import { createRoot } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import type { SessionState } from '../../src/shared/protocol';
import { messagesOf, sortedConversations } from '../../src/ui/state/app-state';
import { makeAppStore } from '../../src/ui/state/app-store';
import { conversation, ending, makeFakeCore, message } from './fake-core';

function setup() {
  const fake = makeFakeCore({
    conversations: [conversation()],
    messages: [message({ id: 'u1', role: 'user', content: 'Hi', createdAt: 1 })],
  });
  const store = createRoot(() => makeAppStore(fake.client));
  return { ...fake, store };
}

const session = (overrides: Partial<SessionState> = {}): SessionState => ({
  conversationId: 'c1',
  runStatus: 'streaming',
  streaming: null,
  sessionCost: 0,
  ...overrides,
});

describe('applyEvent', () => {
  it('builds a streaming message from start and ordered deltas, then the stored end', async () => {
    const { store, emit } = setup();
    await store.loadMessages('c1');
    emit({
      type: 'message-start',
      conversationId: 'c1',
      message: message({ id: 'a1', content: '', status: 'streaming', createdAt: 2 }),
    });
    emit({ type: 'message-delta', messageId: 'a1', seq: 1, text: 'Hel' });
    emit({ type: 'message-delta', messageId: 'a1', seq: 2, text: 'lo', reasoning: 'think' });
    expect(store.state.messages.c1.byId.a1).toMatchObject({ content: 'Hello', reasoning: 'think', status: 'streaming' });
    emit({
      type: 'message-end',
      conversationId: 'c1',
      message: ending(message({ id: 'a1', content: 'Hello', reasoning: 'think', status: 'complete', createdAt: 2 })),
    });
    expect(messagesOf(store.state, 'c1').map((entry) => [entry.id, entry.status])).toEqual([
      ['u1', 'complete'],
      ['a1', 'complete'],
    ]);
    expect(store.state.sessions.c1.streamingMessageId).toBeNull();
  });

  it('reads the conversation again when its copy of a finished reply is short', async () => {
    const { store, emit, api } = setup();
    await store.loadMessages('c1');
    emit({
      type: 'message-start',
      conversationId: 'c1',
      message: message({ id: 'a1', content: '', status: 'streaming', createdAt: 2 }),
    });
    emit({ type: 'message-delta', messageId: 'a1', seq: 1, text: 'Hel' });
    api.listMessages.mockClear();
    emit({
      type: 'message-end',
      conversationId: 'c1',
      message: ending(message({ id: 'a1', content: 'Hello', status: 'complete', createdAt: 2 })),
    });
    expect(api.listMessages).toHaveBeenCalledWith('c1');
  });

  it('ignores deltas already in a snapshot and asks for a snapshot after a gap', async () => {
    const { store, emit, api } = setup();
    await store.loadMessages('c1');
    emit({
      type: 'message-start',
      conversationId: 'c1',
      message: message({ id: 'a1', content: '', status: 'streaming', createdAt: 2 }),
    });
    emit({
      type: 'session-snapshot',
      session: session({ streaming: { messageId: 'a1', content: 'abc', reasoning: '', seq: 3 } }),
    });
    emit({ type: 'message-delta', messageId: 'a1', seq: 3, text: 'c' });
    expect(store.state.messages.c1.byId.a1.content).toBe('abc');
    emit({ type: 'message-delta', messageId: 'a1', seq: 5, text: 'e' });
    expect(store.state.messages.c1.byId.a1.content).toBe('abc');
    expect(api.requestSnapshot).toHaveBeenCalledWith('c1');
  });

  it('a snapshot streaming a reply the list lacks (started while the list was read): reads again, then asks for a snapshot', async () => {
    const { store, emit, api } = setup();
    await store.loadMessages('c1');
    api.listMessages.mockImplementationOnce(async () => [
      message({ id: 'u1', role: 'user', content: 'Hi', createdAt: 1 }),
      message({ id: 'u2', parentId: 'u1', role: 'user', content: 'More', createdAt: 2 }),
      message({ id: 'a2', parentId: 'u2', content: 'Par', status: 'streaming', createdAt: 3 }),
    ]);
    emit({
      type: 'session-snapshot',
      session: session({ streaming: { messageId: 'a2', content: 'Part', reasoning: '', seq: 4 } }),
    });
    await vi.waitFor(() => expect(api.requestSnapshot).toHaveBeenCalledWith('c1'));
    expect(store.state.messages.c1.ids).toEqual(['u1', 'u2', 'a2']);
    emit({
      type: 'session-snapshot',
      session: session({ streaming: { messageId: 'a2', content: 'Partly', reasoning: '', seq: 6 } }),
    });
    emit({ type: 'message-delta', messageId: 'a2', seq: 7, text: ' done' });
    expect(store.state.messages.c1.byId.a2.content).toBe('Partly done');
  });

  it('a list that arrives after its view left is not kept, and the session waits for a new snapshot', async () => {
    const { store, emit, api } = setup();
    await store.loadMessages('c1');
    emit({ type: 'session-snapshot', session: session({ runStatus: 'idle' }) });
    expect(store.state.sessions.c1.synced).toBe(true);
    let answer!: () => void;
    api.listMessages.mockImplementationOnce(
      () =>
        new Promise((resolve) => (answer = () => resolve([message({ id: 'u1', role: 'user', content: 'Hi', createdAt: 1 })]))),
    );
    const late = store.loadMessages('c1');
    store.unloadMessages('c1');
    // One view still shows it: its messages stay.
    expect(store.state.messages.c1).toBeDefined();
    store.unloadMessages('c1');
    expect(store.state.messages.c1).toBeUndefined();
    expect(store.state.sessions.c1.synced).toBe(false);
    answer();
    await late;
    expect(store.state.messages.c1).toBeUndefined();
  });

  it('tracks run status, cost and usage; removes deleted conversations and messages', async () => {
    const { store, emit } = setup();
    await store.loadMessages('c1');
    emit({
      type: 'run-status',
      conversationId: 'c1',
      status: 'complete',
      sessionCost: 0.0012,
      usage: { promptTokens: 5, completionTokens: 7 },
    });
    expect(store.state.sessions.c1).toMatchObject({
      runStatus: 'complete',
      sessionCost: 0.0012,
      usage: { promptTokens: 5, completionTokens: 7 },
    });
    emit({ type: 'message-delete', conversationId: 'c1', messageIds: ['u1'] });
    expect(messagesOf(store.state, 'c1')).toEqual([]);
    emit({ type: 'conversation-upsert', conversation: conversation({ id: 'c2', title: 'Newer', updatedAt: Date.now() + 1000 }) });
    await vi.waitFor(() => expect(store.state.ready).toBe(true));
    expect(sortedConversations(store.state).map((entry) => entry.id)).toEqual(['c2', 'c1']);
    emit({ type: 'conversation-delete', conversationId: 'c1', messageIds: [] });
    expect(store.state.conversations.c1).toBeUndefined();
    expect(store.state.messages.c1).toBeUndefined();
  });

  it('keeps providers, models, settings and the outdated notice current', () => {
    const { store, emit } = setup();
    emit({
      type: 'settings-change',
      settings: { activeProviderId: 'p1', activeModelId: 'm', recentModels: ['p1/m'], theme: 'dark' },
    });
    emit({ type: 'models-change', providerId: 'p1', models: [{ providerId: 'p1', id: 'm', name: 'M', fetchedAt: 1 }] });
    emit({ type: 'core-outdated', reason: 'Reload' });
    expect(store.state.settings.theme).toBe('dark');
    expect(store.state.models.p1.map((model) => model.id)).toEqual(['m']);
    expect(store.state.outdated).toBe('Reload');
  });
});
