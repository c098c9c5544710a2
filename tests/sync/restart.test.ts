/**
 * A core started again on a device that syncs: turning sync off while it is resuming turns it off.
 */
import { describe, expect, it, vi } from 'vitest';
import { useSyncDevices } from './sync-devices';

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
  it('turned off while it resumes after a restart: it stays off, now and at the next start', async () => {
    const { a, ids } = await twoDevices();
    const core = await restart(a, { loadMs: 300 });
    expect((await core.sync.disable()).ok).toBe(true);

    expect(await core.repository.syncStorage().getConfig()).toBeUndefined();
    expect((await core.sync.status()).state).toBe('off');
    expect(await core.repository.getConversation(ids[0])).toBeDefined();
  }, 60_000);
});
