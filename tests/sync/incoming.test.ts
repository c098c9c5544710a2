/**
 * What arrives from the server: a batch that could not be saved is read again (nothing after it
 * is applied first and the failed one forgotten); only a document these keys cannot open counts
 * as sealed with another passphrase; settings taken from another device do not make this
 * device's settings newer than they are.
 */
import { describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../src/worker/session/event-bus';
import { asStorageError } from '../../src/worker/storage/errors';
import { Repository } from '../../src/worker/storage/repository';
import { deriveKeys, newDerivation } from '../../src/worker/sync/crypto';
import { sealRecord, type SyncRecord } from '../../src/worker/sync/documents';
import { Incoming } from '../../src/worker/sync/incoming';
import type { MirrorChange } from '../../src/worker/sync/mirror';
import { Outgoing } from '../../src/worker/sync/outgoing';
import { nodePouch } from '../fixtures/node-pouch';
import { uniqueDatabaseName } from '../session/harness';
import { useSyncDevices } from './sync-devices';

const { device, setup, turnOn, idle } = useSyncDevices();

/** Two devices syncing one database, both up to date. */
async function twoDevices() {
  const details = await setup();
  const a = await device();
  const b = await device();
  await turnOn(a, details);
  await idle(a.core);
  await turnOn(b, details);
  await Promise.all([idle(a.core), idle(b.core)]);
  return { a, b };
}

describe('what arrives from the server', () => {
  it('a batch that could not be saved is read again: it arrives, and so does what came after it', async () => {
    const { a, b } = await twoDevices();
    const apply = vi
      .spyOn(b.core.repository.syncStorage(), 'apply')
      .mockRejectedValueOnce(asStorageError(new Error('the disk was busy')));

    const first = await a.conversation('mock-echo');
    await vi.waitFor(() => expect(apply).toHaveBeenCalled(), { timeout: 15_000, interval: 20 });
    const second = await a.conversation('mock-echo');

    await vi.waitFor(
      async () => {
        expect(await b.core.repository.getConversation(second)).toBeDefined();
        expect(await b.core.repository.getConversation(first)).toBeDefined();
      },
      { timeout: 15_000, interval: 50 },
    );
    await idle(b.core);
  }, 60_000);

  it('settings changed again on a device whose clock is a little behind still reach the other device', async () => {
    const { a, b } = await twoDevices();
    await a.core.catalog.updateSettings({ theme: 'dark' });
    await vi.waitFor(async () => expect((await b.core.repository.getSettings()).theme).toBe('dark'), {
      timeout: 15_000,
      interval: 50,
    });
    const sentAt = (await a.core.repository.syncStorage().getConfig())!.settingsAt;

    // B took A's settings later by its own clock; A's clock says its next change came just after.
    const clock = vi.spyOn(Date, 'now').mockReturnValue(sentAt + 1);
    try {
      await a.core.catalog.updateSettings({ theme: 'light' });
      await vi.waitFor(async () => expect((await a.core.repository.syncStorage().getConfig())?.settingsAt).toBe(sentAt + 1), {
        interval: 20,
      });
    } finally {
      clock.mockRestore();
    }
    await vi.waitFor(async () => expect((await b.core.repository.getSettings()).theme).toBe('light'), {
      timeout: 15_000,
      interval: 50,
    });
  }, 60_000);
});

describe('a batch, read from the mirror', () => {
  async function makeIncoming() {
    const repository = await Repository.open(uniqueDatabaseName('incoming'));
    const keys = await deriveKeys('correct horse', newDerivation(1000));
    const mirror = nodePouch.mirror(uniqueDatabaseName('mirror'));
    const outgoing = new Outgoing(mirror, keys, repository, new Set());
    return { mirror, keys, incoming: new Incoming({ mirror, keys, repository, bus: new EventBus(), outgoing }) };
  }

  const conversation: SyncRecord = {
    kind: 'conversation',
    record: { id: 'c1', title: 'Trip', activeLeafId: null, providerId: 'p', modelId: 'm', createdAt: 1, updatedAt: 2 },
  };

  it('counts a document another passphrase sealed, and goes on', async () => {
    const { incoming } = await makeIncoming();
    const otherKeys = await deriveKeys('another passphrase', newDerivation(1000));
    const document = { ...(await sealRecord(otherKeys, conversation)), _rev: '1-a' };
    const change: MirrorChange = { id: document._id, seq: 1, doc: document, changes: [{ rev: '1-a' }] };
    expect(await incoming.apply([change])).toMatchObject({ lastSeq: 1, unreadable: 1 });
  });

  it('fails the batch when the mirror cannot be read, instead of counting the document as unreadable', async () => {
    const { incoming, mirror, keys } = await makeIncoming();
    vi.spyOn(mirror, 'get').mockRejectedValue(new Error('the mirror could not be read'));
    const document = { ...(await sealRecord(keys, conversation)), _rev: '1-a', _conflicts: ['1-b'] };
    const change: MirrorChange = { id: document._id, seq: 1, doc: document, changes: [{ rev: '1-a' }, { rev: '1-b' }] };
    await expect(incoming.apply([change])).rejects.toThrow('the mirror could not be read');
  });
});
