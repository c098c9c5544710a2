import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { DataTransfer } from '../../src/worker/data-transfer/data-transfer';
import { EventBus } from '../../src/worker/session/event-bus';
import { StorageError } from '../../src/worker/storage/errors';
import type { Repository } from '../../src/worker/storage/repository';
import { makeConversation, makeMessage, openRepository } from './helpers';

const originalPut = IDBObjectStore.prototype.put;

/** Every write to `storeName` fails as a full disk does. */
function fillStorage(storeName: string): void {
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (this.name === storeName) throw new DOMException('full', 'QuotaExceededError');
    return originalPut.apply(this, args);
  };
}

let repository: Repository;

afterEach(() => {
  IDBObjectStore.prototype.put = originalPut;
  repository?.close();
});

async function captureError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('a full disk', () => {
  it('fails a write with a storage ErrorInfo and leaves saved data as it was', async () => {
    repository = await openRepository();
    await repository.putConversation(makeConversation({ id: 'saved', title: 'Saved' }));
    await repository.putMessage(makeMessage({ id: 'saved-message', conversationId: 'saved' }));

    fillStorage('messages');
    const error = await captureError(
      repository.startRun('saved', (stored) => ({ ...stored, title: 'Changed' }), [
        makeMessage({ id: 'new', conversationId: 'saved' }),
      ]),
    );

    expect(error).toBeInstanceOf(StorageError);
    const info = (error as StorageError).info;
    expect(info.kind).toBe('storage');
    expect(info.retryable).toBe(false);
    expect(info.message).toMatch(/storage for Parley is full/);

    IDBObjectStore.prototype.put = originalPut;
    // The header written before the failing message was rolled back with it.
    expect((await repository.getConversation('saved'))?.title).toBe('Saved');
    expect((await repository.listMessages('saved')).map((message) => message.id)).toEqual(['saved-message']);
  });

  it('reports a failed import as data, with nothing written', async () => {
    repository = await openRepository();
    fillStorage('messages');
    const legacyFile = [
      {
        id: 'a',
        title: 'A',
        providerInstanceId: 'p',
        modelId: 'm',
        createdAt: 1,
        updatedAt: 1,
        messages: [{ id: 'm1', role: 'user', content: 'Hi', timestamp: 1 }],
      },
    ];
    const result = await new DataTransfer(repository, new EventBus()).import(JSON.stringify(legacyFile));
    IDBObjectStore.prototype.put = originalPut;

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe('storage');
    expect(await repository.listConversations()).toEqual([]);
  });

  it('classifies other failures as storage too, with a plain message', async () => {
    repository = await openRepository();
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('disk went away', 'UnknownError');
    };
    const error = await captureError(
      repository.putSettings({ activeProviderId: null, activeModelId: null, recentModels: [], theme: 'light' }),
    );
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).info).toMatchObject({ kind: 'storage', retryable: true });
    expect((error as StorageError).info.message).toMatch(/could not save/);
  });
});
