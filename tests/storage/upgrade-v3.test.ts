/**
 * Schema 2 → 3: flat conversations become single-branch trees. Seeded as version 2 stored them
 * (no `parentId`, no `activeLeafId`), with the rows that matter most: a reply still marked
 * streaming, an interrupted one, tied times, and an empty conversation.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../src/shared/protocol';
import { Repository } from '../../src/worker/storage/repository';
import { uniqueDatabaseName } from './helpers';

type StoredConversation = Omit<Conversation, 'activeLeafId'>;
type StoredMessage = Omit<Message, 'parentId'>;

const conversations: StoredConversation[] = [
  {
    id: 'long',
    title: 'Long',
    providerId: 'p',
    modelId: 'm',
    createdAt: 1,
    updatedAt: 90,
    usage: { promptTokens: 9, completionTokens: 12 },
    cost: 0.5,
  },
  {
    id: 'live',
    title: 'Live',
    providerId: 'p',
    modelId: 'm',
    createdAt: 2,
    updatedAt: 80,
    usage: { promptTokens: 0, completionTokens: 0 },
    cost: 0,
  },
  {
    id: 'empty',
    title: 'Empty',
    providerId: 'p',
    modelId: 'm',
    systemPrompt: 'Hi',
    createdAt: 3,
    updatedAt: 3,
    usage: { promptTokens: 0, completionTokens: 0 },
    cost: 0,
  },
];

const row = (id: string, conversationId: string, createdAt: number, extra: Partial<StoredMessage> = {}): StoredMessage => ({
  id,
  conversationId,
  role: 'user',
  content: `Text of ${id}`,
  status: 'complete',
  createdAt,
  updatedAt: createdAt,
  ...extra,
});

const messages: StoredMessage[] = [
  // Stored out of order; two share a time (ties go by id, as version 2 read them).
  row('long-3', 'long', 30, {
    role: 'assistant',
    usage: { promptTokens: 9, completionTokens: 12 },
    cost: 0.5,
    model: 'm',
    finishReason: 'stop',
  }),
  row('long-1', 'long', 10),
  row('long-2b', 'long', 20, { role: 'assistant', status: 'interrupted', content: 'Half' }),
  row('long-2a', 'long', 20),
  row('long-4', 'long', 40),
  row('live-1', 'live', 5),
  row('live-2', 'live', 6, { role: 'assistant', status: 'streaming', content: 'Still writ', reasoning: 'Thinking' }),
];

/** A database exactly as schema version 2 left it. */
async function createVersion2(name: string): Promise<void> {
  const database = await openDB(name, 2, {
    upgrade(database) {
      database.createObjectStore('providers', { keyPath: 'id' });
      database.createObjectStore('models', { keyPath: ['providerId', 'id'] }).createIndex('providerId', 'providerId');
      const messageStore = database.createObjectStore('messages', { keyPath: 'id' });
      messageStore.createIndex('conversation', ['conversationId', 'createdAt']);
      messageStore.createIndex('status', 'status');
      database.createObjectStore('conversations', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
      database.createObjectStore('settings', { keyPath: 'key' });
    },
  });
  for (const conversation of conversations) await database.put('conversations', conversation);
  for (const message of messages) await database.put('messages', message);
  database.close();
}

describe('upgrade from version 2', () => {
  it('keeps every message and field, links each to the one before it, and shows the last', async () => {
    const name = uniqueDatabaseName();
    await createVersion2(name);
    const repository = await Repository.open(name);

    const long = await repository.listMessages('long');
    expect(long.map((message) => [message.id, message.parentId])).toEqual([
      ['long-1', null],
      ['long-2a', 'long-1'],
      ['long-2b', 'long-2a'],
      ['long-3', 'long-2b'],
      ['long-4', 'long-3'],
    ]);
    const live = await repository.listMessages('live');
    expect(live.map((message) => [message.id, message.parentId])).toEqual([
      ['live-1', null],
      ['live-2', 'live-1'],
    ]);
    // Every row survives with every field as it was: only the link is new.
    for (const original of messages) {
      const stored = await repository.getMessage(original.id);
      const { parentId: _parentId, ...rest } = stored!;
      expect(rest).toEqual(original);
    }
    // The streaming row is left for the core's start-up recovery, which marks it interrupted.
    expect((await repository.getMessage('live-2'))?.status).toBe('streaming');

    expect(await repository.getConversation('long')).toEqual({ ...conversations[0], activeLeafId: 'long-4' });
    expect(await repository.getConversation('live')).toEqual({ ...conversations[1], activeLeafId: 'live-2' });
    expect(await repository.getConversation('empty')).toEqual({ ...conversations[2], activeLeafId: null });
    repository.close();
  });
});
