import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import type { Conversation, Message, Model, Provider } from '../../src/shared/protocol';
import { Repository } from '../../src/worker/storage/repository';
import type { OpenDatabaseOptions } from '../../src/worker/storage/database';

let databaseCount = 0;

/** fake-indexeddb keeps databases for the whole file, so every test gets its own. */
export function uniqueDatabaseName(label = 'parley-test'): string {
  databaseCount += 1;
  return `${label}-${databaseCount}-${Math.random().toString(36).slice(2)}`;
}

export async function openRepository(options: OpenDatabaseOptions = {}): Promise<Repository> {
  return Repository.open(uniqueDatabaseName(), options);
}

export function makeProvider(overrides: Partial<Provider> = {}): Provider {
  return {
    id: 'provider-1',
    presetId: 'openai',
    name: 'OpenAI',
    baseURL: 'https://api.openai.com/v1',
    apiKey: 'sk-test',
    enabled: true,
    createdAt: 1_000,
    ...overrides,
  };
}

export function makeModel(overrides: Partial<Model> = {}): Model {
  return { providerId: 'provider-1', id: 'gpt-4o', name: 'GPT-4o', fetchedAt: 5_000, ...overrides };
}

export function makeConversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'conversation-1',
    title: 'Hello',
    activeLeafId: null,
    providerId: 'provider-1',
    modelId: 'gpt-4o',
    createdAt: 1_000,
    updatedAt: 1_000,
    usage: { promptTokens: 0, completionTokens: 0 },
    cost: 0,
    ...overrides,
  };
}

export function makeMessage(overrides: Partial<Message> = {}): Message {
  return {
    id: 'message-1',
    conversationId: 'conversation-1',
    parentId: null,
    role: 'user',
    content: 'Hi',
    status: 'complete',
    createdAt: 1_000,
    updatedAt: 1_000,
    ...overrides,
  };
}

/** Rows in every store, read over a second connection so the repository's own code is not trusted. */
export async function countRows(name: string): Promise<Record<string, number>> {
  const database = await openDB(name);
  const counts: Record<string, number> = {};
  for (const storeName of database.objectStoreNames) counts[storeName] = await database.count(storeName);
  database.close();
  return counts;
}
