import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/worker/storage/errors';
import type { LLMConversation, LLMProviderInstance } from '../../src/worker/storage/legacy';
import { Repository } from '../../src/worker/storage/repository';
import { DB_VERSION } from '../../src/worker/storage/schema';
import { uniqueDatabaseName } from './helpers';

const withMessages: LLMConversation = {
  id: 'legacy-a',
  title: 'Three messages',
  providerInstanceId: 'instance-1',
  modelId: 'gpt-4o',
  systemPrompt: 'Be brief.',
  createdAt: 100,
  updatedAt: 300,
  messages: [
    { id: 'a1', role: 'user', content: 'First', timestamp: 200 },
    { id: 'a2', role: 'assistant', content: 'Second', timestamp: 200 },
    { id: 'a3', role: 'user', content: 'Third', timestamp: 250 },
  ],
};

const empty: LLMConversation = {
  id: 'legacy-b',
  title: 'Empty',
  providerInstanceId: 'instance-1',
  modelId: 'gpt-4o-mini',
  createdAt: 400,
  updatedAt: 500,
  messages: [],
};

const instance: LLMProviderInstance = {
  id: 'instance-1',
  providerId: 'openrouter',
  name: 'My OpenRouter',
  apiKey: 'sk-or',
  enabled: true,
  lastUsed: 450,
  modelsCachedAt: 600,
  cachedModels: [
    {
      id: 'gpt-4o',
      name: 'GPT-4o',
      providerId: 'openrouter',
      contextLength: 128_000,
      pricing: { inputPerMillion: 2.5, outputPerMillion: 10 },
    },
    { id: 'free', name: 'Free model', providerId: 'openrouter' },
  ],
};

/** A database exactly as the seed left it. */
async function createVersion1(name: string): Promise<void> {
  const database = await openDB(name, 1, {
    upgrade(legacyDatabase) {
      legacyDatabase.createObjectStore('conversations', { keyPath: 'id' });
      legacyDatabase.createObjectStore('providerInstances', { keyPath: 'id' });
    },
  });
  await database.put('conversations', withMessages);
  await database.put('conversations', empty);
  await database.put('providerInstances', instance);
  database.close();
}

describe('upgrade from version 1', () => {
  it('turns every embedded message into a row, in order, and drops the legacy stores', async () => {
    const name = uniqueDatabaseName();
    await createVersion1(name);
    const before = Date.now();
    const repository = await Repository.open(name);

    const messages = await repository.listMessages('legacy-a');
    expect(messages.map((message) => [message.id, message.parentId, message.role, message.content])).toEqual([
      ['a1', null, 'user', 'First'],
      ['a2', 'a1', 'assistant', 'Second'],
      ['a3', 'a2', 'user', 'Third'],
    ]);
    // The tied timestamps were pulled apart so the order is stable.
    expect(messages.map((message) => message.createdAt)).toEqual([200, 201, 250]);
    expect(messages.every((message) => message.status === 'complete' && message.updatedAt === message.createdAt)).toBe(true);
    expect(messages.every((message) => message.conversationId === 'legacy-a')).toBe(true);
    expect(await repository.listMessages('legacy-b')).toEqual([]);

    expect(await repository.listConversations()).toEqual([
      {
        id: 'legacy-b',
        title: 'Empty',
        activeLeafId: null,
        providerId: 'instance-1',
        modelId: 'gpt-4o-mini',
        createdAt: 400,
        updatedAt: 500,
        usage: { promptTokens: 0, completionTokens: 0 },
        cost: 0,
      },
      {
        id: 'legacy-a',
        title: 'Three messages',
        activeLeafId: 'a3',
        providerId: 'instance-1',
        modelId: 'gpt-4o',
        systemPrompt: 'Be brief.',
        createdAt: 100,
        updatedAt: 300,
        usage: { promptTokens: 0, completionTokens: 0 },
        cost: 0,
      },
    ]);

    const [provider] = await repository.listProviders();
    expect(provider).toMatchObject({
      id: 'instance-1',
      presetId: 'openrouter',
      name: 'My OpenRouter',
      baseURL: 'https://openrouter.ai/api/v1',
      apiKey: 'sk-or',
      enabled: true,
      lastUsed: 450,
    });
    expect(provider.createdAt).toBeGreaterThanOrEqual(before);

    expect(await repository.listModels('instance-1')).toEqual([
      {
        providerId: 'instance-1',
        id: 'free',
        name: 'Free model',
        fetchedAt: 600,
      },
      {
        providerId: 'instance-1',
        id: 'gpt-4o',
        name: 'GPT-4o',
        contextLength: 128_000,
        pricing: { promptPerMillion: 2.5, completionPerMillion: 10 },
        fetchedAt: 600,
      },
    ]);
    repository.close();

    const raw = await openDB(name);
    expect(raw.version).toBe(DB_VERSION);
    expect(raw.objectStoreNames.contains('providerInstances')).toBe(false);
    const storedHeader = await raw.get('conversations', 'legacy-a');
    expect(storedHeader).not.toHaveProperty('messages');
    raw.close();
  });

  it('maps an unknown provider kind to a custom preset and keeps its own URL', async () => {
    const name = uniqueDatabaseName();
    const database = await openDB(name, 1, {
      upgrade(legacyDatabase) {
        legacyDatabase.createObjectStore('conversations', { keyPath: 'id' });
        legacyDatabase.createObjectStore('providerInstances', { keyPath: 'id' });
      },
    });
    await database.put('providerInstances', {
      id: 'local',
      providerId: 'webllm',
      name: 'Mine',
      baseUrl: 'http://10.0.0.2:8000/v1',
      enabled: false,
    } satisfies LLMProviderInstance);
    database.close();

    const repository = await Repository.open(name);
    expect(await repository.getProvider('local')).toMatchObject({
      presetId: 'custom',
      baseURL: 'http://10.0.0.2:8000/v1',
      enabled: false,
    });
    expect(await repository.listModels('local')).toEqual([]);
    repository.close();
  });

  it('keeps both messages when two legacy conversations reuse a message id', async () => {
    const name = uniqueDatabaseName();
    await createVersion1(name);
    const database = await openDB(name, 1);
    await database.put('conversations', {
      ...empty,
      id: 'legacy-c',
      messages: [{ id: 'a1', role: 'user', content: 'Same id, other conversation', timestamp: 700 }],
    } satisfies LLMConversation);
    database.close();

    const repository = await Repository.open(name);
    expect((await repository.listMessages('legacy-a')).map((message) => message.content)).toEqual(['First', 'Second', 'Third']);
    expect((await repository.listMessages('legacy-c')).map((message) => message.content)).toEqual([
      'Same id, other conversation',
    ]);
    repository.close();
  });

  describe('when the upgrade fails part way', () => {
    const originalPut = IDBObjectStore.prototype.put;
    afterEach(() => {
      IDBObjectStore.prototype.put = originalPut;
    });

    it('stays at version 1 with every legacy row, and succeeds on the next try', async () => {
      const name = uniqueDatabaseName();
      await createVersion1(name);
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (this.name === 'messages') throw new DOMException('full', 'QuotaExceededError');
        return originalPut.apply(this, args);
      };

      const failure = await Repository.open(name).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StorageError);
      expect((failure as StorageError).info.message).toMatch(/full/);

      IDBObjectStore.prototype.put = originalPut;
      const legacy = await openDB(name);
      expect(legacy.version).toBe(1);
      expect((await legacy.get('conversations', 'legacy-a'))?.messages).toHaveLength(3);
      expect(await legacy.count('providerInstances')).toBe(1);
      legacy.close();

      const repository = await Repository.open(name);
      expect(await repository.listMessages('legacy-a')).toHaveLength(3);
      repository.close();
    });
  });
});
