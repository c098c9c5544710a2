import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReport, Result } from '../../src/shared/protocol';
import { DataTransfer } from '../../src/worker/data-transfer/data-transfer';
import { EventBus } from '../../src/worker/session/event-bus';
import type { LLMConversation, LLMProviderInstance } from '../../src/worker/storage/legacy';
import { Repository } from '../../src/worker/storage/repository';
import { countRows, makeConversation, uniqueDatabaseName } from '../storage/helpers';

function legacyConversation(id: string, messageCount: number, overrides: Partial<LLMConversation> = {}): LLMConversation {
  return {
    id,
    title: `Conversation ${id}`,
    providerInstanceId: 'instance-1',
    modelId: 'gpt-4o',
    createdAt: 100,
    updatedAt: 200,
    messages: Array.from({ length: messageCount }, (_, index) => ({
      id: `${id}-m${index}`,
      role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: `Message ${index} of ${id}`,
      timestamp: 100 + index,
    })),
    ...overrides,
  };
}

const instance: LLMProviderInstance = {
  id: 'instance-1',
  providerId: 'groq',
  name: 'Groq',
  apiKey: 'gsk',
  enabled: true,
  cachedModels: [{ id: 'llama', name: 'Llama', providerId: 'groq', pricing: { inputPerMillion: 0.1 } }],
};

let repository: Repository;
let name: string;

async function open(): Promise<void> {
  name = uniqueDatabaseName();
  repository = await Repository.open(name);
}

afterEach(() => repository?.close());

/** A file in the seed's shape, imported as a person would: through Settings → Data. */
function importLegacy(data: unknown): Promise<Result<ImportReport>> {
  return new DataTransfer(repository, new EventBus()).import(JSON.stringify(data));
}

describe('importing a legacy file', () => {
  it('keeps every message of a valid file, with its provider and models', async () => {
    await open();
    const result = await importLegacy({
      conversations: [legacyConversation('a', 4), legacyConversation('b', 0)],
      providers: [instance],
    });

    expect(result).toEqual({
      ok: true,
      value: { format: 'legacy', conversations: 2, messages: 4, providers: 1, skipped: 0, notKept: [] },
    });
    const messages = await repository.listMessages('a');
    expect(messages.map((message) => message.content)).toEqual([
      'Message 0 of a',
      'Message 1 of a',
      'Message 2 of a',
      'Message 3 of a',
    ]);
    expect(messages.every((message) => message.status === 'complete')).toBe(true);
    expect(await repository.getConversation('b')).toMatchObject({
      providerId: 'instance-1',
      usage: { promptTokens: 0, completionTokens: 0 },
      cost: 0,
    });
    expect(await repository.getProvider('instance-1')).toMatchObject({
      presetId: 'groq',
      baseURL: 'https://api.groq.com/openai/v1',
    });
    expect(await repository.listModels('instance-1')).toEqual([
      {
        providerId: 'instance-1',
        id: 'llama',
        name: 'Llama',
        pricing: { promptPerMillion: 0.1, completionPerMillion: 0 },
        fetchedAt: 0,
      },
    ]);
  });

  it('accepts a bare list of conversations', async () => {
    await open();
    expect(await importLegacy([legacyConversation('a', 2)])).toEqual({
      ok: true,
      value: { format: 'legacy', conversations: 1, messages: 2, providers: 0, skipped: 0, notKept: [] },
    });
  });

  it('skips a conversation whose id exists instead of overwriting it', async () => {
    await open();
    await repository.putConversation(makeConversation({ id: 'a', title: 'Mine, newer' }));
    const result = await importLegacy({ conversations: [legacyConversation('a', 3), legacyConversation('b', 1)] });

    // Skipped: the conversation and its three messages.
    expect(result).toEqual({
      ok: true,
      value: { format: 'legacy', conversations: 1, messages: 1, providers: 0, skipped: 4, notKept: [] },
    });
    expect((await repository.getConversation('a'))?.title).toBe('Mine, newer');
    expect(await repository.listMessages('a')).toEqual([]);
  });

  it('keeps both messages when two conversations reuse a message id', async () => {
    await open();
    const first = legacyConversation('a', 1);
    const second = legacyConversation('b', 1);
    second.messages[0].id = first.messages[0].id;
    await importLegacy([first, second]);

    expect((await repository.listMessages('a')).map((message) => message.content)).toEqual(['Message 0 of a']);
    expect((await repository.listMessages('b')).map((message) => message.content)).toEqual(['Message 0 of b']);
  });

  const malformed: [string, unknown, RegExp][] = [
    ['not an object', 'hello', /not a file Parley knows/],
    [
      'a conversation without id',
      {
        conversations: [legacyConversation('a', 1), legacyConversation('b', 1), { ...legacyConversation('c', 1), id: undefined }],
      },
      /conversation 3 has no id/,
    ],
    [
      'messages that are not a list',
      [legacyConversation('a', 1), { ...legacyConversation('b', 0), messages: 'none' }],
      /conversation 2 has no messages list/,
    ],
    [
      'a message with a bad role',
      [legacyConversation('a', 0, { messages: [{ id: 'x', role: 'robot' as never, content: 'Hi', timestamp: 1 }] })],
      /conversation 1, message 1 has role "robot"/,
    ],
    [
      'a provider without name',
      { conversations: [legacyConversation('a', 1)], providers: [{ ...instance, name: 3 }] },
      /provider 1 has a name that is not text/,
    ],
  ];

  for (const [description, data, reason] of malformed) {
    it(`rejects ${description} with a reason and writes nothing`, async () => {
      await open();
      await repository.putConversation(makeConversation({ id: 'existing' }));
      const before = await countRows(name);

      const result = await importLegacy(data);

      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.kind).toBe('config');
      expect(result.error.retryable).toBe(false);
      expect(result.error.message).toMatch(reason);
      expect(await countRows(name)).toEqual(before);
    });
  }
});
