import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent, ImportReport, Result } from '../../src/shared/protocol';
import { IMPORT_LIMITS } from '../../src/shared/data-limits';
import { DataTransfer, type ExportFile } from '../../src/worker/data-transfer/data-transfer';
import { EventBus } from '../../src/worker/session/event-bus';
import type { LLMConversation } from '../../src/worker/storage/legacy';
import { Repository } from '../../src/worker/storage/repository';
import { countRows, makeConversation, makeMessage, makeModel, makeProvider, uniqueDatabaseName } from '../storage/helpers';

const KEY = 'sk-live-export-secret-0123456789';

interface Store {
  name: string;
  repository: Repository;
  transfer: DataTransfer;
  events: CoreEvent[];
}

const opened: Repository[] = [];
const originalPut = IDBObjectStore.prototype.put;

afterEach(() => {
  IDBObjectStore.prototype.put = originalPut;
  for (const repository of opened.splice(0)) repository.close();
});

async function openStore(): Promise<Store> {
  const name = uniqueDatabaseName();
  const repository = await Repository.open(name);
  opened.push(repository);
  const bus = new EventBus();
  const events: CoreEvent[] = [];
  bus.events$.subscribe(({ event }) => events.push(event));
  return { name, repository, transfer: new DataTransfer(repository, bus), events };
}

/** A store with one provider (with a key), a model, and a conversation “Trip” of three messages. */
async function seeded(): Promise<Store> {
  const store = await openStore();
  const { repository } = store;
  await repository.putProvider(makeProvider({ id: 'p1', apiKey: KEY }));
  await repository.replaceModels('p1', [
    makeModel({ providerId: 'p1', id: 'gpt-4o', pricing: { promptPerMillion: 2.5, completionPerMillion: 10 } }),
  ]);
  await repository.putConversation(
    makeConversation({
      id: 'trip',
      title: 'Trip',
      providerId: 'p1',
      systemPrompt: 'Be brief.',
      activeLeafId: 'm3',
      costUnknown: true,
    }),
  );
  await repository.putMessage(makeMessage({ id: 'm1', conversationId: 'trip', content: 'Plan a trip', createdAt: 1 }));
  await repository.putMessage(
    makeMessage({
      id: 'm2',
      parentId: 'm1',
      conversationId: 'trip',
      role: 'assistant',
      content: 'Day one…',
      status: 'error',
      error: { kind: 'network', message: 'The connection dropped.', retryable: true },
      usage: { promptTokens: 5, completionTokens: 7 },
      cost: 0.001,
      costUnknown: true,
      reasoning: 'Where to first?',
      reasoningMs: 4200,
      model: 'gpt-4o',
      finishReason: 'error',
      createdAt: 2,
    }),
  );
  await repository.putMessage(makeMessage({ id: 'm3', parentId: 'm2', conversationId: 'trip', content: 'More', createdAt: 3 }));
  await repository.putSettings({ activeProviderId: 'p1', activeModelId: 'gpt-4o', recentModels: ['p1/gpt-4o'], theme: 'dark' });
  return store;
}

async function exported(store: Store, includeKeys = false): Promise<string> {
  const result = await store.transfer.export({ includeKeys });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

type Counts = Pick<ImportReport, 'conversations' | 'messages' | 'providers' | 'skipped' | 'attachments'>;

function expectReport(result: Result<ImportReport>, counts: Counts): void {
  expect(result).toEqual({ ok: true, value: { format: expect.any(String), notKept: [], ...counts } });
}

describe('export', () => {
  it('writes every record in the parley-export format, without API keys unless asked', async () => {
    const store = await seeded();
    const json = await exported(store);
    const file = JSON.parse(json) as ExportFile;
    expect(file).toMatchObject({ format: 'parley-export', version: 3 });
    expect(file.exportedAt).toBeGreaterThan(0);
    expect(file.providers).toHaveLength(1);
    expect(file.providers[0]).not.toHaveProperty('apiKey');
    expect(json).not.toContain(KEY);
    expect(file.models).toHaveLength(1);
    expect(file.conversations.map((conversation) => conversation.title)).toEqual(['Trip']);
    expect(file.messages.map((message) => message.id)).toEqual(['m1', 'm2', 'm3']);
    expect(file.settings).toMatchObject({ activeProviderId: 'p1', theme: 'dark' });

    const withKeys = JSON.parse(await exported(store, true)) as ExportFile;
    expect(withKeys.providers[0].apiKey).toBe(KEY);
  });
});

describe('import of a Parley export', () => {
  it('restores everything into an empty Parley, and tells the tabs', async () => {
    const source = await seeded();
    const file = JSON.parse(await exported(source, true)) as ExportFile;
    const target = await openStore();

    expectReport(await target.transfer.import(JSON.stringify(file)), { conversations: 1, messages: 3, providers: 1, skipped: 0 });

    const { repository } = target;
    expect(await repository.listProviders()).toEqual(await source.repository.listProviders());
    expect(await repository.listModels('p1')).toEqual(await source.repository.listModels('p1'));
    expect(await repository.getConversation('trip')).toEqual(await source.repository.getConversation('trip'));
    expect(await repository.listMessages('trip')).toEqual(await source.repository.listMessages('trip'));
    // An empty Parley takes the file's choice of model; its own theme stays.
    expect(await repository.getSettings()).toMatchObject({ activeProviderId: 'p1', activeModelId: 'gpt-4o', theme: 'system' });
    const types = target.events.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining(['conversations-upsert', 'providers-change', 'models-change', 'settings-change']),
    );
  });

  it('skips records whose id exists, never overwriting them, and reports how many', async () => {
    const source = await seeded();
    const json = await exported(source);
    const target = await openStore();
    await target.repository.putConversation(makeConversation({ id: 'trip', title: 'Mine, edited since', providerId: 'p1' }));
    await target.repository.putProvider(makeProvider({ id: 'p1', name: 'My OpenAI', apiKey: 'sk-mine' }));

    expectReport(await target.transfer.import(json), { conversations: 0, messages: 0, providers: 0, skipped: 5 });
    expect((await target.repository.getConversation('trip'))?.title).toBe('Mine, edited since');
    expect(await target.repository.listMessages('trip')).toEqual([]);
    expect(await target.repository.getProvider('p1')).toMatchObject({ name: 'My OpenAI', apiKey: 'sk-mine' });

    // Importing the same file twice adds nothing the second time.
    const fresh = await openStore();
    await fresh.transfer.import(json);
    const before = await countRows(fresh.name);
    expectReport(await fresh.transfer.import(json), { conversations: 0, messages: 0, providers: 0, skipped: 5 });
    expect(await countRows(fresh.name)).toEqual(before);
  });

  it('imports a reply exported mid-stream as interrupted, so Resume can finish it', async () => {
    const source = await seeded();
    await source.repository.putMessage(
      makeMessage({ id: 'm4', conversationId: 'trip', role: 'assistant', content: 'Half', status: 'streaming', createdAt: 4 }),
    );
    const target = await openStore();
    await target.transfer.import(await exported(source));
    expect((await target.repository.getMessage('m4'))?.status).toBe('interrupted');
  });

  it('keeps a 1 MB reply and a 5,000-message conversation whole', async () => {
    const store = await openStore();
    const big = 'x'.repeat(1024 * 1024);
    const file = {
      format: 'parley-export',
      version: 1,
      exportedAt: 1,
      providers: [],
      models: [],
      conversations: [makeConversation({ id: 'long', title: 'Long' })],
      messages: Array.from({ length: 5000 }, (_, index) =>
        makeMessage({
          id: `m${index}`,
          conversationId: 'long',
          content: index === 4999 ? big : `message ${index}`,
          createdAt: index,
        }),
      ),
    };
    expectReport(await store.transfer.import(JSON.stringify(file)), {
      conversations: 1,
      messages: 5000,
      providers: 0,
      skipped: 0,
    });
    const messages = await store.repository.listMessages('long');
    expect(messages).toHaveLength(5000);
    expect(messages[0].content).toBe('message 0');
    expect(messages[4999].content).toBe(big);
  });
});

describe('trees in a file', () => {
  it('an export keeps every branch and the branch shown; importing it restores the same tree', async () => {
    const source = await openStore();
    await source.repository.putConversation(makeConversation({ id: 'tree', title: 'Tree', activeLeafId: 'r2' }));
    const rows = [
      makeMessage({ id: 'q1', conversationId: 'tree', content: 'Question', createdAt: 1 }),
      makeMessage({ id: 'r1', parentId: 'q1', conversationId: 'tree', role: 'assistant', content: 'First answer', createdAt: 2 }),
      makeMessage({
        id: 'r2',
        parentId: 'q1',
        conversationId: 'tree',
        role: 'assistant',
        content: 'Second answer',
        createdAt: 3,
      }),
      makeMessage({ id: 'q2', parentId: 'r1', conversationId: 'tree', content: 'Follow-up', createdAt: 4 }),
      makeMessage({ id: 'q1b', conversationId: 'tree', content: 'Question, edited', createdAt: 5 }),
    ];
    for (const row of rows) await source.repository.putMessage(row);
    const file = JSON.parse(await exported(source)) as ExportFile;
    expect(file.version).toBe(3);
    expect(file.conversations[0].activeLeafId).toBe('r2');

    const target = await openStore();
    expectReport(await target.transfer.import(JSON.stringify(file)), { conversations: 1, messages: 5, providers: 0, skipped: 0 });
    expect(await target.repository.getConversation('tree')).toEqual(await source.repository.getConversation('tree'));
    expect(await target.repository.listMessages('tree')).toEqual(await source.repository.listMessages('tree'));
  });

  it('a version 1 file (flat lists) becomes one branch per conversation, the last message shown', async () => {
    const store = await openStore();
    const file = {
      format: 'parley-export',
      version: 1,
      exportedAt: 1,
      providers: [],
      models: [],
      conversations: [{ ...makeConversation({ id: 'flat' }), activeLeafId: undefined }],
      messages: [3, 1, 2].map((order) => ({
        ...makeMessage({ id: `m${order}`, conversationId: 'flat', createdAt: order }),
        parentId: undefined,
      })),
    };
    expectReport(await store.transfer.import(JSON.stringify(file)), { conversations: 1, messages: 3, providers: 0, skipped: 0 });
    expect((await store.repository.listMessages('flat')).map((message) => [message.id, message.parentId])).toEqual([
      ['m1', null],
      ['m2', 'm1'],
      ['m3', 'm2'],
    ]);
    expect((await store.repository.getConversation('flat'))?.activeLeafId).toBe('m3');
  });
});

describe('attachments in a file', () => {
  async function withAttachment(): Promise<Store> {
    const store = await openStore();
    await store.repository.putConversation(makeConversation({ id: 'pics', title: 'Pictures', activeLeafId: 'u' }));
    const reference = { id: 'file-1', name: 'notes.md', mime: 'text/markdown', size: 9, kind: 'text' as const };
    await store.repository.startRun(
      'pics',
      (stored) => stored,
      [makeMessage({ id: 'u', conversationId: 'pics', attachments: [reference] })],
      [{ ...reference, conversationId: 'pics', messageId: 'u', blob: new Blob(['# Hello!\n'], { type: 'text/markdown' }) }],
    );
    return store;
  }

  it('an export embeds each file as base64; importing it restores the files with their messages', async () => {
    const file = JSON.parse(await exported(await withAttachment())) as ExportFile;
    expect(file.attachments).toEqual([
      {
        id: 'file-1',
        name: 'notes.md',
        mime: 'text/markdown',
        size: 9,
        kind: 'text',
        conversationId: 'pics',
        messageId: 'u',
        data: btoa('# Hello!\n'),
      },
    ]);
    const target = await openStore();
    expectReport(await target.transfer.import(JSON.stringify(file)), {
      conversations: 1,
      messages: 1,
      providers: 0,
      skipped: 0,
      attachments: 1,
    });
    expect((await target.repository.getMessage('u'))?.attachments?.[0].id).toBe('file-1');
    const stored = await target.repository.getAttachment('file-1');
    expect(await stored?.blob.text()).toBe('# Hello!\n');
    expect(stored?.blob.type).toBe('text/markdown');
  });

  it('refuses a message listing a file the export does not hold, and data that is not what it says', async () => {
    const file = JSON.parse(await exported(await withAttachment())) as ExportFile;
    const target = await openStore();
    const missing = await target.transfer.import(JSON.stringify({ ...file, attachments: [] }));
    expect(!missing.ok && missing.error.message).toMatch(/lists a file that is not in the export/);
    const broken = await target.transfer.import(
      JSON.stringify({ ...file, attachments: [{ ...file.attachments[0], data: '%%%' }] }),
    );
    expect(!broken.ok && broken.error.message).toMatch(/data that is not base64/);
    expect(await target.repository.listConversations()).toEqual([]);
  });
});

describe('import of a legacy file', () => {
  const legacy: LLMConversation[] = [
    {
      id: 'old',
      title: 'Old chat',
      providerInstanceId: 'i1',
      modelId: 'm',
      createdAt: 1,
      updatedAt: 2,
      messages: [
        { id: 'a', role: 'user', content: 'Hi', timestamp: 1 },
        { id: 'b', role: 'assistant', content: 'Hello', timestamp: 2 },
      ],
    },
  ];

  it('goes through the legacy migration path and counts what it skipped', async () => {
    const store = await openStore();
    expectReport(await store.transfer.import(JSON.stringify(legacy)), {
      conversations: 1,
      messages: 2,
      providers: 0,
      skipped: 0,
    });
    expect((await store.repository.listMessages('old')).map((message) => message.content)).toEqual(['Hi', 'Hello']);
    expectReport(await store.transfer.import(JSON.stringify({ conversations: legacy })), {
      conversations: 0,
      messages: 0,
      providers: 0,
      skipped: 3,
    });
  });
});

describe('a file that cannot be imported', () => {
  const valid = (): ExportFile & Record<string, unknown> => ({
    format: 'parley-export',
    version: 3,
    exportedAt: 1,
    providers: [makeProvider({ id: 'p1' })],
    models: [makeModel({ providerId: 'p1' })],
    conversations: [makeConversation({ id: 'a', title: 'Groceries' }), makeConversation({ id: 'trip', title: 'Trip' })],
    messages: [
      makeMessage({ id: 'a1', conversationId: 'a' }),
      ...Array.from({ length: 12 }, (_, index) => makeMessage({ id: `t${index + 1}`, conversationId: 'trip', createdAt: index })),
    ],
    attachments: [],
    settings: { activeProviderId: 'p1', activeModelId: 'gpt-4o', recentModels: [], theme: 'system' },
  });
  const withMessage = (index: number, patch: Record<string, unknown>, remove: string[] = []) => {
    const file = valid();
    const message: Record<string, unknown> = { ...file.messages[index], ...patch };
    for (const field of remove) delete message[field];
    (file.messages as unknown[])[index] = message;
    return JSON.stringify(file);
  };
  const longTitle = JSON.stringify({
    ...valid(),
    conversations: [makeConversation({ id: 'a', title: 'T'.repeat(200_000) })],
    messages: [],
  });
  // Built as text: JSON.stringify itself would overflow the stack on it.
  const deeplyNested = JSON.stringify(valid()).replace(/}$/, `,"extra":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);

  const cases: Array<[string, string, RegExp]> = [
    ['text that is not JSON', 'hello, world', /not valid JSON/],
    ['a truncated export', JSON.stringify(valid()).slice(0, 300), /not valid JSON.*cut short/],
    ['an empty file', '   ', /it is empty/],
    ['a JSON number', '42', /not a file Parley knows/],
    [
      'another program’s file',
      JSON.stringify({ format: 'chatgpt-export', conversations: [] }),
      /"chatgpt-export" file, not a Parley export/,
    ],
    ['a newer format version', JSON.stringify({ ...valid(), version: 4 }), /newer Parley \(format version 4\)/],
    ['a missing list', JSON.stringify({ ...valid(), messages: undefined }), /no "messages" list/],
    ['a message without a role', withMessage(12, {}, ['role']), /message 12 of conversation “Trip” has no role/],
    ['an unknown status', withMessage(1, { status: 'done' }), /message 1 of conversation “Trip” has status "done"/],
    ['a wrong type', withMessage(0, { content: 42 }), /message 1 of conversation “Groceries” has a content that is not text/],
    ['a time that is not a date', withMessage(0, { createdAt: -5 }), /createdAt time that is not a valid date/],
    [
      'a message of a conversation not in the file',
      withMessage(0, { conversationId: 'elsewhere' }),
      /belongs to a conversation that is not in the file/,
    ],
    ['a duplicate message id', withMessage(1, { id: 'a1' }), /same id as an earlier message/],
    ['a parent that is not in the file', withMessage(2, { parentId: 'nowhere' }), /answers a message that is not in it/],
    ['a parent in another conversation', withMessage(2, { parentId: 'a1' }), /answers a message that is not in it/],
    [
      'a loop of parents',
      JSON.stringify({
        ...valid(),
        messages: [
          makeMessage({ id: 'x', conversationId: 'a', parentId: 'y' }),
          makeMessage({ id: 'y', conversationId: 'a', parentId: 'x' }),
        ],
      }),
      /messages of conversation “Groceries” loop back on themselves/,
    ],
    [
      'a shown message that is not in the conversation',
      JSON.stringify({
        ...valid(),
        conversations: [makeConversation({ id: 'a', title: 'Groceries', activeLeafId: 't1' })],
        messages: [],
      }),
      /conversation “Groceries” shows a message that is not in it/,
    ],
    [
      'a __proto__ key',
      withMessage(0, {}).replace('"id":"a1"', '"__proto__":{"polluted":true},"id":"a1"'),
      /field named "__proto__" \(at messages → item 1\)/,
    ],
    [
      'a constructor key',
      JSON.stringify({ ...valid(), settings: { constructor: { prototype: { polluted: true } } } }),
      /field named "constructor"/,
    ],
    ['an absurdly long title', longTitle, /title of 200000 characters \(at most 100000\)/],
    [
      'an absurdly long text',
      withMessage(0, { content: 'x'.repeat(IMPORT_LIMITS.longText + 1) }),
      /text of 10,000,001 characters \(at messages → item 1 → content\)/,
    ],
    ['absurd nesting', deeplyNested, /nested more than 32 levels/],
    [
      'a javascript: base URL',
      JSON.stringify({ ...valid(), providers: [makeProvider({ id: 'p1', baseURL: 'javascript:alert(1)' })] }),
      /provider “OpenAI” has a baseURL that is not an http\(s\) web address/,
    ],
    [
      'an error of unknown kind',
      withMessage(0, { error: { kind: 'weird', message: 'x', retryable: false } }),
      /error has kind "weird"/,
    ],
    [
      'a legacy file with a data: base URL',
      JSON.stringify({
        conversations: [],
        providers: [{ id: 'i', providerId: 'custom', name: 'X', enabled: true, baseUrl: 'data:text/html,hi' }],
      }),
      /provider 1 has a baseUrl that is not an http\(s\) web address/,
    ],
    [
      'a truncated legacy file',
      '[{"id":"c","title":"C","providerInstanceId":"i","modelId":"m","messages":[{"id":"x","role":"us',
      /not valid JSON/,
    ],
    [
      'a legacy file with a __proto__ key',
      '[{"id":"c","__proto__":{"polluted":true},"title":"C","providerInstanceId":"i","modelId":"m","createdAt":1,"updatedAt":1,"messages":[]}]',
      /field named "__proto__" \(at item 1\)/,
    ],
    [
      'a legacy message without content',
      JSON.stringify([
        {
          id: 'c',
          title: 'C',
          providerInstanceId: 'i',
          modelId: 'm',
          createdAt: 1,
          updatedAt: 1,
          messages: [{ id: 'x', role: 'user', timestamp: 1 }],
        },
      ]),
      /conversation 1, message 1 has no content/,
    ],
  ];

  for (const [description, json, reason] of cases) {
    it(`rejects ${description} with the reason, writing nothing`, async () => {
      const store = await seeded();
      const before = await countRows(store.name);
      const result = await store.transfer.import(json);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ kind: 'config', retryable: false });
      expect(result.error.message).toMatch(/^This file cannot be imported: /);
      expect(result.error.message).toMatch(reason);
      expect(result.error.message).toMatch(/Nothing was imported\.$/);
      expect(await countRows(store.name)).toEqual(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(store.events).toEqual([]);
    });
  }

  it('rejects a file over the size limit before parsing it', async () => {
    const store = await openStore();
    const result = await store.transfer.import(' '.repeat(IMPORT_LIMITS.fileCharacters + 1));
    expect(!result.ok && result.error.message).toMatch(/more than the 200 MB Parley can import at once/);
  });

  it('writes nothing when the disk fills part way through', async () => {
    const store = await seeded();
    const before = await countRows(store.name);
    const file = valid();
    file.conversations = file.conversations.map((conversation) => ({ ...conversation, id: `new-${conversation.id}` }));
    file.messages = file.messages.map((message) => ({
      ...message,
      id: `new-${message.id}`,
      conversationId: `new-${message.conversationId}`,
    }));
    file.providers = [makeProvider({ id: 'p2' })];
    file.models = [];
    let puts = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      // The sixth message write fails, after the provider, both conversations and five messages.
      if (this.name === 'messages' && ++puts === 6) throw new DOMException('full', 'QuotaExceededError');
      return originalPut.apply(this, args);
    };
    const result = await store.transfer.import(JSON.stringify(file));
    IDBObjectStore.prototype.put = originalPut;

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('storage');
    expect(result.error.message).toMatch(/^Nothing was imported\. .*storage for Parley is full/);
    expect(await countRows(store.name)).toEqual(before);
    expect(await store.repository.getProvider('p2')).toBeUndefined();
  });
});
