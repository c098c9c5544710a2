/**
 * A core started again on a device that syncs: what is changed before sync runs again (its code
 * still loading) reaches the other device, a provider deleted first thing is deleted there too,
 * and turning sync off while it is resuming turns it off.
 */
import { describe, expect, it, vi } from 'vitest';
import { useSyncDevices, SYNC_TUNING } from './sync-devices';

const { device, setup, turnOn, idle, restart } = useSyncDevices();

/** Two devices holding the same conversations, both up to date. */
async function twoDevices(conversations = 1) {
  const details = await setup();
  const a = await device();
  const b = await device();
  const ids: string[] = [];
  for (let index = 0; index < conversations; index++) ids.push(await a.conversation('mock-echo'));
  await turnOn(a, details);
  await idle(a.core);
  await turnOn(b, details);
  for (const id of ids) {
    await vi.waitFor(async () => expect(await b.core.repository.getConversation(id)).toBeDefined(), { timeout: 15_000 });
  }
  await idle(b.core);
  return { a, b, ids };
}

describe('sync after a restart', () => {
  it('a rename made right after the core starts, before sync has loaded, reaches the other device', async () => {
    const { a, b, ids } = await twoDevices();
    const [id] = ids;
    const core = await restart(a, { loadMs: 300 });
    await core.conversations.update(id, { title: 'Renamed while sync was loading' });

    await vi.waitFor(
      async () => expect((await b.core.repository.getConversation(id))?.title).toBe('Renamed while sync was loading'),
      { timeout: 15_000, interval: 50 },
    );
  }, 60_000);

  it('more changes than are kept before sync runs: the records are pushed in full, and the deletion still goes', async () => {
    const { a, b, ids } = await twoDevices(3);
    const [first, second, doomed] = ids;
    const core = await restart(a, { loadMs: 300, tuning: { ...SYNC_TUNING, keptChanges: 2 } });
    await core.conversations.update(first, { title: 'First, renamed' });
    await core.conversations.update(second, { title: 'Second, renamed' });
    await core.conversations.delete(doomed);

    await vi.waitFor(
      async () => {
        expect((await b.core.repository.getConversation(first))?.title).toBe('First, renamed');
        expect((await b.core.repository.getConversation(second))?.title).toBe('Second, renamed');
        expect(await b.core.repository.getConversation(doomed)).toBeUndefined();
      },
      { timeout: 15_000, interval: 50 },
    );
  }, 60_000);

  it.each([
    { when: 'once sync runs again', loadMs: 0 },
    { when: 'while sync is still loading', loadMs: 300 },
  ])(
    'a provider deleted as the first change after a restart, $when, is deleted on the other device',
    async ({ loadMs }) => {
      const details = await setup();
      const a = await device();
      const b = await device();
      const extra = await a.core.catalog.saveProvider({ presetId: 'custom', name: 'Extra', baseURL: a.mock.url });
      if (!extra.ok) throw new Error(extra.error.message);
      await turnOn(a, details);
      await idle(a.core);
      await turnOn(b, details);
      await vi.waitFor(async () => expect(await b.core.repository.getProvider(extra.value.id)).toBeDefined(), {
        timeout: 15_000,
      });
      // B's provider has reached A too: after the restart, nothing arrives that lists the providers.
      await vi.waitFor(async () => expect(await a.core.repository.getProvider(b.providerId)).toBeDefined(), { timeout: 15_000 });
      await Promise.all([idle(a.core), idle(b.core)]);

      const core = await restart(a, { loadMs });
      if (loadMs === 0) await idle(core);
      expect((await core.catalog.deleteProvider(extra.value.id)).ok).toBe(true);

      await vi.waitFor(async () => expect(await b.core.repository.getProvider(extra.value.id)).toBeUndefined(), {
        timeout: 15_000,
        interval: 50,
      });
    },
    60_000,
  );

  it('turned off while it resumes after a restart: it stays off, now and at the next start', async () => {
    const { a, ids } = await twoDevices();
    const core = await restart(a, { loadMs: 300 });
    expect((await core.sync.disable()).ok).toBe(true);

    expect(await core.repository.syncStorage().getConfig()).toBeUndefined();
    expect((await core.sync.status()).state).toBe('off');
    expect(await core.repository.getConversation(ids[0])).toBeDefined();
  }, 60_000);
});
