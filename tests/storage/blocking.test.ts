import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it, vi } from 'vitest';
import { StorageError } from '../../src/worker/storage/errors';
import { Repository } from '../../src/worker/storage/repository';
import { DB_VERSION } from '../../src/worker/storage/schema';
import { makeConversation, uniqueDatabaseName } from './helpers';

describe('a newer version opening the database', () => {
  it('makes an open repository step aside and say so, and the upgrade completes', async () => {
    const name = uniqueDatabaseName();
    const onVersionChange = vi.fn();
    const repository = await Repository.open(name, { onVersionChange });
    await repository.putConversation(makeConversation({ id: 'kept' }));

    const newer = await openDB(name, DB_VERSION + 1, {
      upgrade(database) {
        database.createObjectStore('future');
      },
    });

    expect(onVersionChange).toHaveBeenCalledOnce();
    expect(onVersionChange.mock.calls[0][0]).toMatch(/Reload/);
    expect(newer.version).toBe(DB_VERSION + 1);
    expect(await newer.get('conversations', 'kept')).toBeDefined();
    newer.close();

    // The old connection is closed: calls fail as data asking for a reload, they do not hang.
    const error = await repository.listConversations().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).info.kind).toBe('storage');
  });

  it('says when an old tab holds the database, and continues once it lets go', async () => {
    const name = uniqueDatabaseName();
    // An old build that never closes on `versionchange`.
    const old = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore('conversations', { keyPath: 'id' });
        database.createObjectStore('providerInstances', { keyPath: 'id' });
      },
    });
    const onBlocked = vi.fn();
    let reportBlocked: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (reportBlocked = resolve));
    onBlocked.mockImplementation(() => reportBlocked());

    const opening = Repository.open(name, { onBlocked });
    await blocked;
    expect(onBlocked.mock.calls[0][0]).toMatch(/other Parley tabs/);

    old.close();
    const repository = await opening;
    expect(await repository.listConversations()).toEqual([]);
    repository.close();
  });
});
