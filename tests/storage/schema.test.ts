import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { DB_VERSION } from '../../src/worker/storage/schema';
import { uniqueDatabaseName } from './helpers';
import { Repository } from '../../src/worker/storage/repository';

describe('a fresh database', () => {
  it('has every current store and index, and none of the legacy ones', async () => {
    const name = uniqueDatabaseName();
    const repository = await Repository.open(name);
    repository.close();

    const database = await openDB(name, DB_VERSION);
    expect(database.version).toBe(5);
    expect([...database.objectStoreNames].sort()).toEqual([
      'attachments',
      'conversations',
      'messages',
      'models',
      'providers',
      'settings',
      'sync',
    ]);

    const transaction = database.transaction(['providers', 'models', 'conversations', 'messages', 'settings', 'attachments']);
    const providers = transaction.objectStore('providers');
    expect(providers.keyPath).toBe('id');
    expect([...providers.indexNames]).toEqual([]);

    const models = transaction.objectStore('models');
    expect(models.keyPath).toEqual(['providerId', 'id']);
    expect([...models.indexNames]).toEqual(['providerId']);
    expect(models.index('providerId').keyPath).toBe('providerId');

    const conversations = transaction.objectStore('conversations');
    expect(conversations.keyPath).toBe('id');
    expect([...conversations.indexNames]).toEqual(['updatedAt']);
    expect(conversations.index('updatedAt').keyPath).toBe('updatedAt');

    const messages = transaction.objectStore('messages');
    expect(messages.keyPath).toBe('id');
    expect([...messages.indexNames].sort()).toEqual(['conversation', 'status']);
    expect(messages.index('conversation').keyPath).toEqual(['conversationId', 'createdAt']);
    expect(messages.index('status').keyPath).toBe('status');

    expect(transaction.objectStore('settings').keyPath).toBe('key');

    const attachments = transaction.objectStore('attachments');
    expect(attachments.keyPath).toBe('id');
    expect([...attachments.indexNames].sort()).toEqual(['conversation', 'message']);
    expect(database.transaction('sync').objectStore('sync').keyPath).toBe('key');
    database.close();
  });

  it('keeps its rows when opened again at the same version', async () => {
    const name = uniqueDatabaseName();
    const first = await Repository.open(name);
    await first.putSettings({ activeProviderId: 'p', activeModelId: 'm', recentModels: ['p/m'], theme: 'dark' });
    first.close();

    const second = await Repository.open(name);
    expect(await second.getSettings()).toEqual({
      activeProviderId: 'p',
      activeModelId: 'm',
      recentModels: ['p/m'],
      theme: 'dark',
    });
    second.close();
  });
});
