/**
 * ChatGPT's data export, in each form a person brings it: `conversations.json`, the split
 * `conversations-NNN.json` files chosen together, and the .zip as downloaded.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MessageTree } from '../../src/shared/tree';
import { countRows } from '../storage/helpers';
import { fixture, fixtureText, importInto, importStores } from './import-fixtures';

const LISBON = 'chatgpt:7c1d5e2a-0000-4000-8000-00000000a001';
const id = (node: string) => `${LISBON}:${node}`;

const open = importStores();

describe('ChatGPT export: conversations.json', () => {
  it('keeps every branch as Parley branches, the branch last seen shown, and says what it left out', async () => {
    const store = await open();
    const result = await importInto(store, [fixture('chatgpt-conversations.json', 'conversations.json')]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ format: 'chatgpt', conversations: 2, messages: 9, providers: 0, skipped: 0 });
    expect(result.value.notKept).toEqual(
      expect.arrayContaining([
        { count: 2, what: 'tool calls and their results (browsing, code runs, image tools)' },
        { count: 1, what: 'conversations with no messages in the export (damaged there)' },
        { count: 1, what: 'custom instructions and memory notes (not imported, they stay private)' },
        { count: 1, what: 'images not in the chosen files (choose the .zip as downloaded to bring them in)' },
      ]),
    );

    const conversation = await store.repository.getConversation(LISBON);
    expect(conversation).toMatchObject({ title: 'Trip to Lisbon', activeLeafId: id('a2'), createdAt: 1_700_000_000_000 });
    const messages = await store.repository.listMessages(LISBON);
    const tree = new MessageTree(messages);
    // The edited first question: two roots (the hidden system node above them is gone).
    expect(tree.children(null).map((message) => message.id)).toEqual([id('u1'), id('u1b')]);
    // The regenerated reply: two answers to the first question.
    expect(tree.children(id('u1')).map((message) => message.id)).toEqual([id('a1'), id('a1b')]);
    // current_node, not the newest branch, is shown: the reply after the tool call, re-attached to the question.
    expect(tree.path(conversation!.activeLeafId).map((message) => message.id)).toEqual([id('u1'), id('a1'), id('u2'), id('a2')]);
    const answer = tree.get(id('a2'))!;
    expect(answer).toMatchObject({
      role: 'assistant',
      parentId: id('u2'),
      content: 'Try the custard tarts at the bakery by the stop, and grilled sardines in Alfama.',
      reasoning: 'Pastéis de nata are a must near Belém.',
      model: 'gpt-4o',
      status: 'complete',
      finishReason: 'stop',
      createdAt: 1_700_000_044_000,
    });
    // conversations.json alone: the photo it showed is in the zip, not here.
    expect(tree.get(id('u2'))!.content).toBe('[image not imported]\n\nWhat about food near this tram stop?');
    expect(tree.get(id('u2'))!.attachments).toBeUndefined();
    expect(tree.get(id('a3'))).toMatchObject({ status: 'stopped', finishReason: null });

    // No title: the first line of the first question; parts joined without a space; cut by length.
    const untitled = await store.repository.getConversation('chatgpt:7c1d5e2a-0000-4000-8000-00000000a003');
    expect(untitled?.title).toBe('How do I reverse a list in Python?');
    const [question, reply] = await store.repository.listMessages(untitled!.id);
    expect(question.parentId).toBeNull();
    expect(reply).toMatchObject({
      content: 'Use `items[::-1]` or `items.reverse()`.',
      model: 'gpt-5',
      finishReason: 'length',
    });

    // The tabs hear of both conversations at once; the search index is told to read them.
    const upserts = store.events.filter((event) => event.type === 'conversations-upsert');
    expect(upserts.flatMap((event) => (event.type === 'conversations-upsert' ? event.conversations : [])).length).toBe(2);
    expect(store.imported.sort()).toEqual([LISBON, untitled!.id].sort());
    expect(store.progress.at(-1)).toEqual({ phase: 'writing', done: 2, total: 2 });
  });

  it('is idempotent: the same export imported again adds nothing', async () => {
    const store = await open();
    await importInto(store, [fixture('chatgpt-conversations.json')]);
    const before = await countRows(store.name);
    const again = await importInto(store, [fixture('chatgpt-conversations.json')]);
    // Skipped: both conversations and their nine messages, every one already here.
    expect(again.ok && again.value).toMatchObject({ conversations: 0, messages: 0, skipped: 11 });
    expect(await countRows(store.name)).toEqual(before);
  });

  it('never reads an API key or provider from the file', async () => {
    const store = await open();
    const file = JSON.parse(fixtureText('chatgpt-conversations.json')) as Array<Record<string, unknown>>;
    file[0].providers = [{ id: 'p', apiKey: 'sk-from-a-stranger' }];
    file[0].apiKey = 'sk-from-a-stranger';
    await importInto(store, [new File([JSON.stringify(file)], 'conversations.json')]);
    expect(await store.repository.listProviders()).toEqual([]);
    expect(JSON.stringify(await store.repository.readEverything())).not.toContain('sk-from-a-stranger');
  });
});

describe('ChatGPT export: split files and the zip', () => {
  const SOURDOUGH = 'chatgpt:7c1d5e2a-0000-4000-8000-00000000b001';

  it('reads the conversations-NNN.json files chosen together, a conversation in two keeping its latest', async () => {
    const store = await open();
    const result = await importInto(store, [fixture('conversations-001.json'), fixture('conversations-000.json')]);
    expect(result.ok && result.value).toMatchObject({ format: 'chatgpt', conversations: 3, messages: 8 });
    const sourdough = await store.repository.listMessages(SOURDOUGH);
    expect(sourdough.map((message) => message.content).at(-1)).toBe('Then it is ready to bake with.');
  });

  it('a newer export adds to a conversation imported before what happened there since, and shows where it got to', async () => {
    const store = await open();
    await importInto(store, [fixture('conversations-000.json')]);
    expect((await store.repository.listMessages(SOURDOUGH)).map((message) => message.content)).toHaveLength(2);
    store.events.splice(0);

    const newer = await importInto(store, [fixture('conversations-001.json')]);
    // Haiku is new; Sourdough gets its two later messages; its first two were here already.
    expect(newer.ok && newer.value).toMatchObject({ conversations: 1, messages: 4, updated: 1, skipped: 2 });
    const sourdough = await store.repository.listMessages(SOURDOUGH);
    expect(sourdough.map((message) => message.content)).toEqual([
      'My sourdough starter smells like acetone',
      'It is hungry: feed it twice a day.',
      'It doubled today!',
      'Then it is ready to bake with.',
    ]);
    const conversation = await store.repository.getConversation(SOURDOUGH);
    expect(conversation?.activeLeafId).toBe(`${SOURDOUGH}:n3`);
    expect(new MessageTree(sourdough).path(conversation!.activeLeafId)).toHaveLength(4);
    // Tabs showing it, the search index and sync hear of each message and of the conversation.
    const upserted = store.events.flatMap((event) => (event.type === 'message-upsert' ? [event.message.id] : []));
    expect(upserted).toEqual([`${SOURDOUGH}:n2`, `${SOURDOUGH}:n3`]);
    expect(store.events.some((event) => event.type === 'conversation-upsert' && event.conversation.id === SOURDOUGH)).toBe(true);

    // Once more: nothing new.
    const again = await importInto(store, [fixture('conversations-001.json')]);
    expect(again.ok && again.value).toMatchObject({ conversations: 0, messages: 0, skipped: 8 });
    expect(again.ok && again.value.updated).toBeUndefined();
  });

  it('a newer export brings back neither a reply deleted here nor what followed it there, and keeps a title renamed here', async () => {
    const store = await open();
    await importInto(store, [fixture('conversations-000.json')]);
    await store.repository.updateConversation(SOURDOUGH, (stored) => ({ ...stored, title: 'Starter troubles' }));
    await store.repository.deleteMessages(SOURDOUGH, () => ({
      ids: [`${SOURDOUGH}:n1`],
      change: (stored) => ({ ...stored, activeLeafId: `${SOURDOUGH}:n0` }),
    }));

    const newer = await importInto(store, [fixture('conversations-001.json')]);
    expect(newer.ok && newer.value).toMatchObject({ conversations: 1, messages: 2 });
    expect((await store.repository.listMessages(SOURDOUGH)).map((message) => message.id)).toEqual([`${SOURDOUGH}:n0`]);
    expect(await store.repository.getConversation(SOURDOUGH)).toMatchObject({
      title: 'Starter troubles',
      activeLeafId: `${SOURDOUGH}:n0`,
    });
  });

  it('reads the zip as downloaded: its conversation files, and the photos its messages showed as attachments', async () => {
    const store = await open();
    const result = await importInto(store, [fixture('chatgpt-export.zip', 'chatgpt-2026-11-30.zip')]);
    expect(result.ok && result.value).toMatchObject({ format: 'chatgpt', conversations: 5, messages: 17, attachments: 1 });
    expect((await store.repository.listConversations()).map((conversation) => conversation.title).sort()).toEqual([
      'Bike gears',
      'Haiku about tea',
      'How do I reverse a list in Python?',
      'Sourdough starter',
      'Trip to Lisbon',
    ]);
    expect(store.progress.some((step) => step.phase === 'reading' && step.total > 0)).toBe(true);
    // The photo of the tram: an attachment of the question that showed it, read from the zip.
    const question = await store.repository.getMessage(id('u2'));
    expect(question?.content).toBe('What about food near this tram stop?');
    expect(question?.attachments).toEqual([
      {
        id: `${id('u2')}:file-Lx9PhotoOfTram`,
        name: 'file-Lx9PhotoOfTram-photo.png',
        mime: 'image/png',
        size: 70,
        kind: 'image',
        width: 1,
        height: 1,
      },
    ]);
    const file = await store.repository.getAttachment(`${id('u2')}:file-Lx9PhotoOfTram`);
    expect(new Uint8Array(await file!.blob.arrayBuffer()).slice(1, 4)).toEqual(new Uint8Array([0x50, 0x4e, 0x47]));
    // The zip and the files it holds are one export: importing either after the other adds nothing.
    const again = await importInto(store, [fixture('conversations-000.json'), fixture('conversations-001.json')]);
    expect(again.ok && again.value).toMatchObject({ conversations: 0, messages: 0, skipped: 3 + 8 });
    const twice = await importInto(store, [fixture('chatgpt-export.zip')]);
    expect(twice.ok && twice.value).toMatchObject({ conversations: 0, messages: 0 });
    expect(twice.ok && twice.value.attachments).toBeUndefined();
  });

  it('the zip chosen after conversations.json alone brings in the photos that file could not hold', async () => {
    const store = await open();
    await importInto(store, [fixture('chatgpt-conversations.json', 'conversations.json')]);
    expect((await store.repository.getMessage(id('u2')))?.content).toBe(
      '[image not imported]\n\nWhat about food near this tram stop?',
    );
    store.events.length = 0;

    const zip = await importInto(store, [fixture('chatgpt-export.zip')]);
    expect(zip.ok && zip.value).toMatchObject({ attachments: 1 });
    const question = await store.repository.getMessage(id('u2'));
    expect(question?.content).toBe('What about food near this tram stop?');
    expect(question?.attachments?.map((attachment) => attachment.id)).toEqual([`${id('u2')}:file-Lx9PhotoOfTram`]);
    expect(await store.repository.getAttachment(`${id('u2')}:file-Lx9PhotoOfTram`)).toBeDefined();
    // Tabs showing it, the search index and sync hear of the message as it is now.
    expect(
      store.events.some(
        (event) => event.type === 'message-upsert' && event.message.id === id('u2') && event.message.attachments?.length === 1,
      ),
    ).toBe(true);

    const before = await countRows(store.name);
    const again = await importInto(store, [fixture('chatgpt-export.zip')]);
    expect(again.ok && again.value.attachments).toBeUndefined();
    expect(await countRows(store.name)).toEqual(before);
  });

  it('tells a zip by its bytes, whatever it is called', async () => {
    const store = await open();
    const result = await importInto(store, [fixture('chatgpt-export.zip', 'notes.json')]);
    expect(result.ok && result.value.conversations).toBe(5);
  });
});

describe('a ChatGPT export that cannot be imported', () => {
  const rejected = async (files: File[], reason: RegExp) => {
    const store = await open();
    const before = await countRows(store.name);
    const result = await importInto(store, files);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/^This file cannot be imported: /);
    expect(result.error.message).toMatch(reason);
    expect(result.error.message).toMatch(/Nothing was imported\.$/);
    expect(await countRows(store.name)).toEqual(before);
    expect(store.events).toEqual([]);
  };

  it('a conversation without an id (a second import could not recognise it)', async () => {
    const file = JSON.parse(fixtureText('conversations-000.json')) as Array<Record<string, unknown>>;
    delete file[1].conversation_id;
    delete file[1].id;
    await rejected(
      [fixture('conversations-001.json'), new File([JSON.stringify(file)], 'conversations-000.json')],
      /conversation “Bike gears” has no conversation_id/,
    );
  });

  it('a zip cut short', async () => {
    const bytes = new Uint8Array(await fixture('chatgpt-export.zip').arrayBuffer());
    await rejected([new File([bytes.subarray(0, 1500)], 'export.zip')], /cut short|damaged/);
  });

  it('a zip without conversations', async () => {
    const { zipSync, strToU8 } = await import('fflate');
    await rejected(
      [new File([zipSync({ 'notes.txt': strToU8('hello') })], 'export.zip')],
      /zip file without conversations\.json/,
    );
  });

  it('a split file mixed with a file of another kind', async () => {
    await rejected(
      [fixture('conversations-000.json'), fixture('open-webui-export.json')],
      /only as the parts of one ChatGPT export/,
    );
  });
});
