/** Open WebUI's chat export (Settings → Chats → Export chats). */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MessageTree } from '../../src/shared/tree';
import { ImportNotes } from '../../src/worker/data-transfer/import-notes';
import { readOpenWebUiExport } from '../../src/worker/data-transfer/open-webui-file';
import { countRows } from '../storage/helpers';
import { fixture, fixtureText, importInto, importStores } from './import-fixtures';

const open = importStores();

describe('Open WebUI export', () => {
  it('keeps the tree and the branch shown, reasoning apart from the answer, tool blocks and system messages out', async () => {
    const store = await open();
    const result = await importInto(store, [fixture('open-webui-export.json', 'chat-export-1710000000.json')]);
    expect(result.ok && result.value).toMatchObject({ format: 'open-webui', conversations: 3, messages: 7, skipped: 0 });
    expect(result.ok && result.value.notKept).toEqual(
      expect.arrayContaining([
        { count: 1, what: 'tool calls and their results' },
        { count: 1, what: 'system messages' },
      ]),
    );

    const regex = await store.repository.getConversation('open-webui:ow-chat-1');
    expect(regex).toMatchObject({
      title: 'Regex for dates',
      activeLeafId: 'open-webui:ow-chat-1:m2',
      createdAt: 1_710_000_000_000,
    });
    const tree = new MessageTree(await store.repository.listMessages('open-webui:ow-chat-1'));
    expect(tree.children('open-webui:ow-chat-1:m1').map((message) => message.id)).toEqual([
      'open-webui:ow-chat-1:m2',
      'open-webui:ow-chat-1:m3',
    ]);
    expect(tree.get('open-webui:ow-chat-1:m2')).toMatchObject({
      content: 'Use `\\d{4}-\\d{2}-\\d{2}`.',
      reasoning: 'Four digits, dash, two, dash, two.',
      model: 'llama3.1:8b',
    });

    // The system message is left out; the question that followed it becomes the first message.
    const weather = await store.repository.listMessages('open-webui:ow-chat-2');
    expect(weather.map((message) => [message.role, message.parentId, message.content])).toEqual([
      ['user', null, 'Weather in Porto?'],
      ['assistant', 'open-webui:ow-chat-2:w1', 'It is 17°C in Porto.'],
    ]);
    // An old chat with a flat list: one branch, in order.
    const flat = await store.repository.listMessages('open-webui:ow-chat-3');
    expect(flat.map((message) => message.parentId)).toEqual([null, 'open-webui:ow-chat-3:f1']);
  });

  it('reads a chat of 150,000 messages (more than one call can take as arguments) in one pass', () => {
    const count = 150_000;
    const messages: Record<string, unknown> = {};
    for (let index = 0; index < count; index++) {
      messages[`m${index}`] = {
        id: `m${index}`,
        // Every message a root: the reader's list of children of "none" grows by one each time.
        parentId: null,
        role: index % 2 ? 'assistant' : 'user',
        content: `message ${index}`,
        timestamp: 1_700_000_000 + index,
      };
    }
    const data = [{ id: 'long', title: 'Long', chat: { history: { currentId: `m${count - 1}`, messages } } }];
    const read = readOpenWebUiExport(data, new ImportNotes(), Date.now());
    expect(read.messages).toHaveLength(count);
    expect(read.conversations[0]).toMatchObject({ id: 'open-webui:long', activeLeafId: `open-webui:long:m${count - 1}` });
  });

  it('is idempotent', async () => {
    const store = await open();
    await importInto(store, [fixture('open-webui-export.json')]);
    const before = await countRows(store.name);
    const again = await importInto(store, [fixture('open-webui-export.json')]);
    expect(again.ok && again.value).toMatchObject({ conversations: 0, messages: 0 });
    expect(await countRows(store.name)).toEqual(before);
  });

  it('rejects a chat without an id, writing nothing', async () => {
    const store = await open();
    const chats = JSON.parse(fixtureText('open-webui-export.json')) as Array<Record<string, unknown>>;
    delete chats[1].id;
    const result = await importInto(store, [new File([JSON.stringify(chats)], 'export.json')]);
    expect(!result.ok && result.error.message).toBe(
      'This file cannot be imported: chat “Weather tool” has no id (undefined). Nothing was imported.',
    );
    expect(await store.repository.listConversations()).toEqual([]);
  });
});
