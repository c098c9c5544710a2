/**
 * Schema 3 → 4 adds the attachments store. Seeded as version 3 left it: every row of every
 * store survives as it was, and the new store starts empty.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { Repository } from '../../src/worker/storage/repository';
import { makeConversation, makeMessage, makeModel, makeProvider, uniqueDatabaseName } from './helpers';

describe('upgrade from version 3', () => {
  it('keeps every row and adds an empty attachments store', async () => {
    const name = uniqueDatabaseName();
    const conversation = makeConversation({ id: 'c', activeLeafId: 'm2' });
    const rows = [
      makeMessage({ id: 'm1', conversationId: 'c', createdAt: 1 }),
      makeMessage({ id: 'm2', conversationId: 'c', parentId: 'm1', role: 'assistant', status: 'interrupted', createdAt: 2 }),
    ];
    const provider = makeProvider({ id: 'p' });
    const model = makeModel({ providerId: 'p' });
    const settings = {
      key: 'settings',
      activeProviderId: 'p',
      activeModelId: 'gpt-4o',
      recentModels: ['p/gpt-4o'],
      theme: 'dark',
    };
    const version3 = await openDB(name, 3, {
      upgrade(database) {
        database.createObjectStore('providers', { keyPath: 'id' });
        database.createObjectStore('models', { keyPath: ['providerId', 'id'] }).createIndex('providerId', 'providerId');
        const messages = database.createObjectStore('messages', { keyPath: 'id' });
        messages.createIndex('conversation', ['conversationId', 'createdAt']);
        messages.createIndex('status', 'status');
        database.createObjectStore('conversations', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
        database.createObjectStore('settings', { keyPath: 'key' });
      },
    });
    await version3.put('conversations', conversation);
    for (const row of rows) await version3.put('messages', row);
    await version3.put('providers', provider);
    await version3.put('models', model);
    await version3.put('settings', settings);
    version3.close();

    const repository = await Repository.open(name);
    expect(await repository.getConversation('c')).toEqual(conversation);
    expect(await repository.listMessages('c')).toEqual(rows);
    expect(await repository.listProviders()).toEqual([provider]);
    expect(await repository.listModels('p')).toEqual([model]);
    const { key: _key, ...storedSettings } = settings;
    expect(await repository.getSettings()).toEqual(storedSettings);
    expect((await repository.readEverything()).attachments).toEqual([]);
    repository.close();
  });
});
