/**
 * A deletion meeting a concurrent edit is settled by the shared rule — the newer wins, a
 * deletion at equal times — on every device: a conversation deleted after the last edit made
 * anywhere stays deleted everywhere.
 */
import { describe, expect, it, vi } from 'vitest';
import { useSyncDevices } from './sync-devices';

const { server, device, setup, turnOn, idle } = useSyncDevices();

describe('deletions meeting edits', () => {
  it('renamed on B, then deleted on A, while the server is down: once it is back the conversation is gone on both', async () => {
    const details = await setup();
    const a = await device();
    const b = await device();
    const doomed = await a.conversation('mock-echo');
    const sent = await a.core.runs.send(doomed, 'Plans for the weekend');
    if (!sent.ok) throw new Error(sent.error.message);
    await a.core.runs.settle();
    await turnOn(a, details);
    await idle(a.core);
    await turnOn(b, details);
    await vi.waitFor(async () => expect(await b.messages(doomed)).toHaveLength(2), { timeout: 15_000 });
    await idle(b.core);

    await server().stop();
    await b.core.conversations.update(doomed, { title: 'Renamed on B' });
    const afterRename = await b.conversation('mock-echo'); // reaches A after the rename
    await new Promise((done) => setTimeout(done, 5)); // A's deletion is the later change
    await a.core.conversations.delete(doomed);
    await vi.waitFor(async () => expect((await a.core.sync.status()).state).toBe('offline'), { timeout: 15_000, interval: 50 });
    await server().start();

    await vi.waitFor(async () => expect(await a.core.repository.getConversation(afterRename)).toBeDefined(), {
      timeout: 15_000,
      interval: 50,
    });
    expect(await a.core.repository.getConversation(doomed)).toBeUndefined();
    await vi.waitFor(async () => expect(await b.core.repository.getConversation(doomed)).toBeUndefined(), {
      timeout: 15_000,
      interval: 50,
    });
    expect(await b.messages(doomed)).toEqual([]);

    // Both devices settled it the same way: nothing more is written.
    const database = new URL(details.url).pathname.slice(1);
    await Promise.all([idle(a.core), idle(b.core)]);
    const settled = await server().updateSeq(database);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await server().updateSeq(database)).toBe(settled);
    expect(await a.core.repository.getConversation(doomed)).toBeUndefined();
  }, 60_000);

  it('deleted on A while B had sync off: turning it on again on B does not bring the conversation back', async () => {
    const details = await setup();
    const a = await device();
    const b = await device();
    const doomed = await a.conversation('mock-echo');
    await turnOn(a, details);
    await idle(a.core);
    await turnOn(b, details);
    await vi.waitFor(async () => expect(await b.core.repository.getConversation(doomed)).toBeDefined(), { timeout: 15_000 });
    await idle(b.core);

    expect((await b.core.sync.disable()).ok).toBe(true);
    const database = new URL(details.url).pathname.slice(1);
    const before = await server().updateSeq(database);
    await a.core.conversations.delete(doomed);
    await vi.waitFor(async () => expect(await server().updateSeq(database)).not.toBe(before), { timeout: 15_000, interval: 50 });

    // B sends everything it holds — the conversation with the time it was last changed.
    await turnOn(b, details);
    const afterTurningOn = await b.conversation('mock-echo'); // reaches A after all B sent
    await vi.waitFor(async () => expect(await b.core.repository.getConversation(doomed)).toBeUndefined(), {
      timeout: 15_000,
      interval: 50,
    });
    await vi.waitFor(async () => expect(await a.core.repository.getConversation(afterTurningOn)).toBeDefined(), {
      timeout: 15_000,
      interval: 50,
    });
    await Promise.all([idle(a.core), idle(b.core)]);
    expect(await a.core.repository.getConversation(doomed)).toBeUndefined();
    expect(await b.core.repository.getConversation(doomed)).toBeUndefined();
  }, 60_000);
});
