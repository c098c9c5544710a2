/**
 * Turning sync on: a device that joins takes the settings the others share, a database asking
 * for encryption settings Parley never writes is refused before any key is derived, and turning
 * sync off while it is still turning on wins.
 */
import { describe, expect, it, vi } from 'vitest';
import { META_ID } from '../../src/worker/sync/mirror';
import { nodePouch } from '../fixtures/node-pouch';
import { SYNC_LOGIN } from '../fixtures/sync-server';
import { useSyncDevices } from './sync-devices';

const { device, setup, turnOn, idle } = useSyncDevices();

describe('turning sync on', () => {
  it('a device that joins takes the settings already shared instead of overwriting them', async () => {
    const details = await setup();
    const a = await device();
    const b = await device();
    await a.core.catalog.updateSettings({ theme: 'dark' });
    await turnOn(a, details);
    await idle(a.core);
    expect((await b.core.repository.getSettings()).theme).toBe('system');

    await turnOn(b, details);
    await vi.waitFor(async () => expect((await b.core.repository.getSettings()).theme).toBe('dark'), {
      timeout: 15_000,
      interval: 50,
    });
    await Promise.all([idle(a.core), idle(b.core)]);
    expect((await a.core.repository.getSettings()).theme).toBe('dark');
  }, 60_000);

  it('a key document asking for an odd iteration count or salt is refused with the reason, before deriving anything', async () => {
    const a = await device();
    const unsafe = [
      { iterations: 50 }, // far too few
      { iterations: 600_000.5 },
      { salt: 'c2hvcnQ=' }, // 5 bytes
      { iterations: 1e12 }, // would never finish
    ];
    for (const fields of unsafe) {
      const details = await setup();
      await nodePouch.server(details.url, SYNC_LOGIN).put({
        _id: META_ID,
        format: 'parley-sync',
        version: 1,
        salt: 'AAAAAAAAAAAAAAAAAAAAAA==',
        iterations: 600_000,
        check: 'sealed',
        ...fields,
      });
      const refused = await a.core.sync.enable(details);
      expect(refused.ok || refused.error).toMatchObject({
        kind: 'config',
        message: expect.stringMatching(/encryption settings Parley never uses/),
      });
      expect((await a.core.sync.status()).state).toBe('off');
    }
  }, 60_000);

  it('turned off while it is still turning on: it stays off and nothing is stored', async () => {
    const details = await setup();
    const a = await device();
    await a.conversation('mock-echo');

    const enabling = a.core.sync.enable(details);
    expect((await a.core.sync.disable()).ok).toBe(true);
    await enabling;

    expect((await a.core.sync.status()).state).toBe('off');
    expect(await a.core.repository.syncStorage().getConfig()).toBeUndefined();
  }, 60_000);

  it('turned on again with a setup that fails: it is off, and the setup before is gone with its mirror', async () => {
    const details = await setup();
    const a = await device();
    await turnOn(a, details);
    await idle(a.core);
    const before = await a.core.repository.syncStorage().getConfig();
    expect(before).toBeDefined();

    const refused = await a.core.sync.enable({ ...details, passphrase: 'another passphrase entirely' });
    expect(refused.ok).toBe(false);
    expect((await a.core.sync.status()).state).toBe('off');
    // Nothing left for the next start to resume behind an "off", and no sealed copy of the history.
    expect(await a.core.repository.syncStorage().getConfig()).toBeUndefined();
    const mirror = nodePouch.mirror(before!.mirrorName);
    expect(((await mirror.info()) as { doc_count: number }).doc_count).toBe(0);
  }, 60_000);
});
