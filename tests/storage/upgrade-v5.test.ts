/**
 * Schema 4 → 5 adds the sync store. Seeded as version 4 left it (attachments included): every row
 * survives, and sync starts off.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { Repository } from '../../src/worker/storage/repository';
import { makeConversation, makeMessage, uniqueDatabaseName } from './helpers';

describe('upgrade from version 4', () => {
  it('keeps every row, files included, and adds an empty sync store', async () => {
    const name = uniqueDatabaseName();
    const conversation = makeConversation({ id: 'c', activeLeafId: 'm1' });
    const reference = { id: 'f', name: 'notes.md', mime: 'text/markdown', size: 5, kind: 'text' as const };
    const message = makeMessage({ id: 'm1', conversationId: 'c', attachments: [reference] });
    const version4 = await openDB(name, 4, {
      upgrade(database) {
        database.createObjectStore('providers', { keyPath: 'id' });
        database.createObjectStore('models', { keyPath: ['providerId', 'id'] }).createIndex('providerId', 'providerId');
        const messages = database.createObjectStore('messages', { keyPath: 'id' });
        messages.createIndex('conversation', ['conversationId', 'createdAt']);
        messages.createIndex('status', 'status');
        database.createObjectStore('conversations', { keyPath: 'id' }).createIndex('updatedAt', 'updatedAt');
        database.createObjectStore('settings', { keyPath: 'key' });
        const attachments = database.createObjectStore('attachments', { keyPath: 'id' });
        attachments.createIndex('message', 'messageId');
        attachments.createIndex('conversation', 'conversationId');
      },
    });
    await version4.put('conversations', conversation);
    await version4.put('messages', message);
    await version4.put('attachments', { ...reference, conversationId: 'c', messageId: 'm1', blob: new Blob(['hello']) });
    version4.close();

    const repository = await Repository.open(name);
    expect(await repository.getConversation('c')).toEqual(conversation);
    expect(await repository.listMessages('c')).toEqual([message]);
    expect(await (await repository.getAttachment('f'))?.blob.text()).toBe('hello');
    expect(await repository.syncStorage().getConfig()).toBeUndefined();
    repository.close();
  });
});
