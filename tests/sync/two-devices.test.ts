/**
 * Two cores, two devices, one CouchDB-compatible server: what one writes appears on the other,
 * encrypted on the way, merged by one rule, and nothing readable is left on the server.
 */
import { describe, expect, it, vi } from 'vitest';
import { MessageTree } from '../../src/shared/tree';
import { Repository } from '../../src/worker/storage/repository';
import { fixture } from '../data-transfer/import-fixtures';
import { headerScaler } from '../fixtures/images';
import { useSyncDevices } from './sync-devices';

const { server, device, setup, turnOn, idle, close } = useSyncDevices();

describe('sync between two devices', () => {
  it('a conversation made on A, with its branches, appears on B; keys stay home; the server holds no plaintext', async () => {
    const details = await setup();
    const a = await device();
    const id = await a.conversation('mock-echo');
    await a.core.conversations.update(id, { title: 'Holiday plans in Lisbon' });
    const first = await a.core.runs.send(id, 'Where should we eat near Alfama?');
    if (!first.ok) throw new Error(first.error.message);
    await a.core.runs.settle();
    await a.core.runs.regenerate(id, first.value.assistantMessageId);
    await a.core.runs.settle();
    await turnOn(a, details);
    await idle(a.core);

    const b = await device();
    await turnOn(b, details);
    await vi.waitFor(async () => expect(await b.core.repository.getConversation(id)).toBeDefined(), { timeout: 15_000 });
    await vi.waitFor(async () => expect(await b.messages(id)).toHaveLength(3), { timeout: 15_000 });
    const onA = await a.core.repository.getConversation(id);
    const onB = await b.core.repository.getConversation(id);
    expect(onB).toEqual(onA);
    const treeOnB = new MessageTree(await b.messages(id));
    expect(treeOnB.siblings(first.value.assistantMessageId)).toHaveLength(2);
    expect(treeOnB.path(onB!.activeLeafId).map((message) => message.content)).toEqual([
      'Where should we eat near Alfama?',
      'You said: Where should we eat near Alfama?',
    ]);
    // What arrived is found by search on B, as if it had been written there.
    const found = await b.core.search.search('Alfama');
    expect(found.hits.map((hit) => hit.conversationId)).toContain(id);
    // The provider came along without its key (the mock provider needs none; give it one to check).
    expect(await b.core.repository.getProvider(a.providerId)).toMatchObject({ id: a.providerId, baseURL: a.mock.url });

    const dump = await server().dump(new URL(details.url).pathname.slice(1));
    for (const secret of [
      'Holiday',
      'Lisbon',
      'Alfama',
      'You said',
      'mock-echo',
      id,
      first.value.assistantMessageId,
      a.mock.url,
    ]) {
      expect(dump).not.toContain(secret);
    }
  }, 60_000);

  it('a second device with the wrong passphrase is refused with the reason, and gets nothing', async () => {
    const details = await setup();
    const a = await device();
    await a.conversation('mock-echo');
    await turnOn(a, details);
    await idle(a.core);

    const b = await device();
    const refused = await b.core.sync.enable({ ...details, passphrase: 'wrong horse' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/passphrase does not open/);
    expect(await b.core.repository.listConversations()).toEqual([]);
    expect((await b.core.sync.status()).state).toBe('off');
  }, 60_000);

  it('a wrong login and a database that is not there are refused with what to fix; sync stays off', async () => {
    const details = await setup();
    const a = await device();
    const wrongLogin = await a.core.sync.enable({ ...details, password: 'not-the-password' });
    expect(wrongLogin.ok || wrongLogin.error).toMatchObject({
      kind: 'auth',
      message: expect.stringMatching(/refused the user name or password/),
    });
    const missing = await a.core.sync.enable({ ...details, url: `${server().origin}/no-such-database` });
    expect(missing.ok || missing.error).toMatchObject({
      kind: 'config',
      message: expect.stringMatching(/no database at that address/),
    });
    expect((await a.core.sync.status()).state).toBe('off');
    expect(await a.core.repository.syncStorage().getConfig()).toBeUndefined();
  }, 60_000);

  it('both write while the server is down; once it is back both hold everything, and a title changed on both converges', async () => {
    const details = await setup();
    const a = await device();
    const b = await device();
    const shared = await a.conversation('mock-echo');
    await turnOn(a, details);
    await idle(a.core);
    await turnOn(b, details);
    await vi.waitFor(async () => expect(await b.core.repository.getConversation(shared)).toBeDefined(), { timeout: 15_000 });
    await idle(b.core);

    await server().stop();
    await a.core.runs.send(shared, 'Written on A');
    await a.core.runs.settle();
    await a.core.conversations.update(shared, { title: 'Title from A' });
    await new Promise((done) => setTimeout(done, 5)); // B's edit is the later one
    await b.core.conversations.update(shared, { title: 'Title from B' });
    const onlyB = await b.conversation('mock-echo');
    await vi.waitFor(async () => expect((await a.core.sync.status()).state).toBe('offline'), { timeout: 15_000, interval: 50 });
    await server().start();
    // Nobody presses "Sync now": the devices ask the server again on their own.

    for (const harness of [a, b]) {
      await vi.waitFor(
        async () => {
          expect((await harness.core.repository.getConversation(shared))?.title).toBe('Title from B');
          expect(await harness.core.repository.getConversation(onlyB)).toBeDefined();
          expect((await harness.messages(shared)).map((message) => message.content)).toContain('Written on A');
        },
        { timeout: 20_000, interval: 100 },
      );
    }
    // Both devices settled the same conflicts; they agree, so nothing more is written.
    const database = new URL(details.url).pathname.slice(1);
    await Promise.all([idle(a.core), idle(b.core)]);
    const settled = await server().updateSeq(database);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await server().updateSeq(database)).toBe(settled);
  }, 60_000);

  it('a reply reaches the server only when it ends; a deletion travels as a tombstone; turning sync off keeps local data', async () => {
    const details = await setup();
    const a = await device();
    const b = await device();
    const id = await a.conversation('mock-slow:tokens=40:delay=20');
    await turnOn(a, details);
    await turnOn(b, details);
    await idle(a.core);
    const sent = await a.core.runs.send(id, 'Tell me slowly');
    if (!sent.ok) throw new Error(sent.error.message);
    await a.waitForEvent((event) => event.type === 'message-delta' && event.messageId === sent.value.assistantMessageId);
    // Streaming on A: B sees the question, never the half-written reply.
    await vi.waitFor(async () => expect(await b.core.repository.getMessage(sent.value.userMessageId)).toBeDefined(), {
      timeout: 15_000,
    });
    expect(await b.core.repository.getMessage(sent.value.assistantMessageId)).toBeUndefined();
    await a.core.runs.settle();
    await vi.waitFor(
      async () => expect((await b.core.repository.getMessage(sent.value.assistantMessageId))?.status).toBe('complete'),
      {
        timeout: 15_000,
      },
    );

    await a.core.conversations.delete(id);
    await vi.waitFor(async () => expect(await b.core.repository.getConversation(id)).toBeUndefined(), { timeout: 15_000 });
    expect(await b.messages(id)).toEqual([]);

    const kept = await b.conversation('mock-echo');
    expect((await b.core.sync.disable()).ok).toBe(true);
    expect((await b.core.sync.status()).state).toBe('off');
    expect(await b.core.repository.getConversation(kept)).toBeDefined();
  }, 60_000);

  it('an import on A while sync is on reaches B: its conversations, every message on every branch, and its images', async () => {
    const details = await setup();
    const a = await device(undefined, { imageScaler: headerScaler });
    const b = await device();
    await turnOn(a, details);
    await turnOn(b, details);
    await idle(a.core);
    const imported = await (await a.core.dataTransfer()).importFiles([fixture('chatgpt-export.zip')]);
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.value.attachments).toBeGreaterThan(0);

    const conversations = (await a.core.repository.listConversations()).filter((entry) => entry.id.startsWith('chatgpt:'));
    expect(conversations.length).toBe(imported.value.conversations);
    for (const conversation of conversations) {
      const onA = await a.messages(conversation.id);
      await vi.waitFor(async () => expect(await b.messages(conversation.id)).toHaveLength(onA.length), { timeout: 15_000 });
      expect(await b.core.repository.getConversation(conversation.id)).toMatchObject({ activeLeafId: conversation.activeLeafId });
      for (const reference of onA.flatMap((message) => message.attachments ?? [])) {
        await vi.waitFor(async () => expect(await b.core.repository.getAttachment(reference.id)).toBeDefined(), {
          timeout: 15_000,
        });
      }
    }
  }, 60_000);

  it('a reply a dead core left streaming reaches the other device as interrupted once the next core starts', async () => {
    const details = await setup();
    const a = await device();
    const id = await a.conversation('mock-echo');
    const sent = await a.core.runs.send(id, 'Before the crash');
    if (!sent.ok) throw new Error(sent.error.message);
    await a.core.runs.settle();
    await turnOn(a, details);
    await idle(a.core);
    const b = await device();
    await turnOn(b, details);
    await vi.waitFor(async () => expect(await b.messages(id)).toHaveLength(2), { timeout: 15_000 });

    // Core A dies mid-reply: what it checkpointed is left "streaming", and no event told sync.
    await close(a);
    const cut = await Repository.open(a.databaseName);
    const half = {
      ...(await cut.getMessage(sent.value.assistantMessageId))!,
      id: 'half-reply',
      content: 'Half a rep',
      status: 'streaming' as const,
      updatedAt: Date.now(),
    };
    await cut.putMessage(half);
    cut.close();

    // The next core ends it as interrupted, and sync sends that on.
    const again = await device(a.databaseName);
    expect((await again.core.repository.getMessage('half-reply'))?.status).toBe('interrupted');
    await vi.waitFor(
      async () =>
        expect(await b.core.repository.getMessage('half-reply')).toMatchObject({ status: 'interrupted', content: 'Half a rep' }),
      { timeout: 15_000 },
    );
  }, 60_000);
});
