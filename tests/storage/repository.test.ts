import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/worker/storage/repository';
import { makeConversation, makeMessage, makeModel, makeProvider, openRepository } from './helpers';

let repository: Repository;

afterEach(() => repository?.close());

describe('providers and models', () => {
  it('lists providers oldest first and deletes one together with its models', async () => {
    repository = await openRepository();
    await repository.putProvider(makeProvider({ id: 'b', createdAt: 2 }));
    await repository.putProvider(makeProvider({ id: 'a', createdAt: 1 }));
    await repository.replaceModels('a', [makeModel({ providerId: 'a', id: 'x', name: 'X' })]);
    await repository.replaceModels('b', [makeModel({ providerId: 'b', id: 'y', name: 'Y' })]);

    expect((await repository.listProviders()).map((provider) => provider.id)).toEqual(['a', 'b']);
    expect(await repository.getProvider('a')).toEqual(makeProvider({ id: 'a', createdAt: 1 }));

    await repository.deleteProvider('a');
    expect(await repository.getProvider('a')).toBeUndefined();
    expect(await repository.listModels('a')).toEqual([]);
    expect((await repository.listAllModels()).map((model) => model.id)).toEqual(['y']);
  });

  it('lists models by name and replaces a provider list whole, leaving other providers alone', async () => {
    repository = await openRepository();
    await repository.replaceModels('p', [
      makeModel({ providerId: 'p', id: 'old', name: 'Old' }),
      makeModel({ providerId: 'p', id: 'kept', name: 'Kept' }),
    ]);
    await repository.replaceModels('q', [makeModel({ providerId: 'q', id: 'other', name: 'Other' })]);

    await repository.replaceModels('p', [
      makeModel({ providerId: 'p', id: 'kept', name: 'Zeta', pricing: { promptPerMillion: 1, completionPerMillion: 2 } }),
      makeModel({ providerId: 'p', id: 'new', name: 'Alpha' }),
    ]);

    const models = await repository.listModels('p');
    expect(models.map((model) => model.name)).toEqual(['Alpha', 'Zeta']);
    expect(models[1].pricing).toEqual({ promptPerMillion: 1, completionPerMillion: 2 });
    expect((await repository.listModels('q')).map((model) => model.id)).toEqual(['other']);
    expect(await repository.listAllModels()).toHaveLength(3);
  });
});

describe('conversations and messages', () => {
  it('lists conversations newest activity first', async () => {
    repository = await openRepository();
    await repository.putConversation(makeConversation({ id: 'old', updatedAt: 10 }));
    await repository.putConversation(makeConversation({ id: 'newest', updatedAt: 30 }));
    await repository.putConversation(makeConversation({ id: 'middle', updatedAt: 20 }));

    expect((await repository.listConversations()).map((conversation) => conversation.id)).toEqual(['newest', 'middle', 'old']);
    // The first screen's share: the newest only.
    expect((await repository.listConversations(2)).map((conversation) => conversation.id)).toEqual(['newest', 'middle']);
    expect((await repository.listConversations(10)).map((conversation) => conversation.id)).toEqual(['newest', 'middle', 'old']);
    expect(await repository.getConversation('middle')).toEqual(makeConversation({ id: 'middle', updatedAt: 20 }));
    expect(await repository.getConversation('missing')).toBeUndefined();
  });

  it('lists a conversation’s messages oldest first', async () => {
    repository = await openRepository();
    await repository.putMessage(makeMessage({ id: 'third', createdAt: 30 }));
    await repository.putMessage(makeMessage({ id: 'first', createdAt: 10 }));
    await repository.putMessage(makeMessage({ id: 'second', createdAt: 20 }));
    await repository.putMessage(makeMessage({ id: 'elsewhere', conversationId: 'other', createdAt: 40 }));

    expect((await repository.listMessages('conversation-1')).map((message) => message.id)).toEqual(['first', 'second', 'third']);
    expect(await repository.getMessage('second')).toEqual(makeMessage({ id: 'second', createdAt: 20 }));

    await repository.putConversation(makeConversation());
    await repository.deleteMessages('conversation-1', () => ({ ids: ['third'], change: (stored) => stored }));
    expect(await repository.getMessage('third')).toBeUndefined();
    expect((await repository.listMessages('conversation-1')).map((message) => message.id)).toEqual(['first', 'second']);
  });

  it('deletes a conversation with every message, and nothing of another conversation', async () => {
    repository = await openRepository();
    await repository.putConversation(makeConversation({ id: 'gone' }));
    await repository.putConversation(makeConversation({ id: 'stays' }));
    for (let index = 0; index < 5; index += 1) {
      await repository.putMessage(makeMessage({ id: `gone-${index}`, conversationId: 'gone', createdAt: index }));
    }
    await repository.putMessage(makeMessage({ id: 'stays-0', conversationId: 'stays' }));

    await repository.deleteConversation('gone');

    expect(await repository.getConversation('gone')).toBeUndefined();
    expect(await repository.listMessages('gone')).toEqual([]);
    expect(await repository.getMessage('gone-3')).toBeUndefined();
    expect(await repository.getConversation('stays')).toBeDefined();
    expect((await repository.listMessages('stays')).map((message) => message.id)).toEqual(['stays-0']);
  });
});

describe('a run', () => {
  const conversation = makeConversation();
  const user = makeMessage({ id: 'user', content: 'Question', createdAt: 10, updatedAt: 10 });
  const assistant = makeMessage({
    id: 'reply',
    parentId: 'user',
    role: 'assistant',
    content: '',
    status: 'streaming',
    createdAt: 11,
    updatedAt: 11,
  });

  /** The change a run makes to its conversation: the new reply is the branch shown. */
  const showReply = (stored: typeof conversation) => ({ ...stored, activeLeafId: 'reply' });

  it('starts, checkpoints and finishes, adding the run to the conversation’s totals', async () => {
    repository = await openRepository();
    await repository.putConversation(conversation);
    expect(await repository.startRun(conversation.id, showReply, [user, assistant])).toEqual({
      ...conversation,
      activeLeafId: 'reply',
    });
    expect(await repository.getConversation(conversation.id)).toEqual({ ...conversation, activeLeafId: 'reply' });
    expect((await repository.listMessages(conversation.id)).map((message) => message.id)).toEqual(['user', 'reply']);

    expect(await repository.checkpointMessage('reply', 'Partial ans', 'Thinking', 20)).toBe(true);
    expect(await repository.getMessage('reply')).toEqual({
      ...assistant,
      content: 'Partial ans',
      reasoning: 'Thinking',
      updatedAt: 20,
    });

    const final = {
      ...assistant,
      content: 'Partial answer.',
      status: 'complete' as const,
      usage: { promptTokens: 5, completionTokens: 3 },
      cost: 0.01,
      updatedAt: 30,
    };
    const totals = {
      ...conversation,
      activeLeafId: 'reply',
      updatedAt: 30,
      usage: { promptTokens: 5, completionTokens: 3 },
      cost: 0.01,
    };
    expect(await repository.finishRun(final, { usage: final.usage, cost: 0.01, updatedAt: 30 })).toEqual(totals);
    expect(await repository.getMessage('reply')).toEqual(final);
    expect(await repository.getConversation(conversation.id)).toEqual(totals);
  });

  it('does not bring back a message deleted mid-run, nor overwrite a finished one', async () => {
    repository = await openRepository();
    await repository.putConversation(conversation);
    await repository.startRun(conversation.id, showReply, [user, assistant]);
    await repository.deleteMessages(conversation.id, () => ({ ids: ['reply'], change: (stored) => stored }));
    expect(
      await repository.finishRun({ ...assistant, content: 'Done', status: 'complete' }, { cost: 0, updatedAt: 20 }),
    ).toBeUndefined();
    expect(await repository.checkpointMessage('reply', 'late text', undefined, 20)).toBe(false);
    expect(await repository.getMessage('reply')).toBeUndefined();

    await repository.putMessage({ ...assistant, id: 'finished', content: 'Final.', status: 'complete' });
    expect(await repository.checkpointMessage('finished', 'Fin', undefined, 40)).toBe(false);
    expect((await repository.getMessage('finished'))?.content).toBe('Final.');
  });

  it('writes nothing at the end of a run whose conversation was deleted', async () => {
    repository = await openRepository();
    await repository.putConversation(conversation);
    await repository.startRun(conversation.id, showReply, [user, assistant]);
    await repository.deleteConversation(conversation.id);

    expect(
      await repository.finishRun({ ...assistant, content: 'Done', status: 'complete' }, { cost: 0, updatedAt: 20 }),
    ).toBeUndefined();
    expect(await repository.getConversation(conversation.id)).toBeUndefined();
    expect(await repository.getMessage('reply')).toBeUndefined();
  });

  it('marks every reply left streaming as interrupted, keeping its text', async () => {
    repository = await openRepository();
    await repository.putMessage(makeMessage({ id: 'one', status: 'streaming', content: 'Half', createdAt: 1 }));
    await repository.putMessage(makeMessage({ id: 'two', conversationId: 'other', status: 'streaming', createdAt: 2 }));
    await repository.putMessage(makeMessage({ id: 'done', status: 'complete', createdAt: 3 }));

    const marked = await repository.markStreamingInterrupted(99);
    expect(marked.map((message) => message.id)).toEqual(['one', 'two']);

    expect(await repository.getMessage('one')).toMatchObject({ status: 'interrupted', content: 'Half', updatedAt: 99 });
    expect(await repository.getMessage('two')).toMatchObject({ status: 'interrupted', updatedAt: 99 });
    expect(await repository.getMessage('done')).toMatchObject({ status: 'complete', updatedAt: 1_000 });
    expect(await repository.markStreamingInterrupted(100)).toEqual([]);
  });

  it('spares the replies the caller is still writing', async () => {
    repository = await openRepository();
    await repository.putMessage(makeMessage({ id: 'dead', status: 'streaming', createdAt: 1 }));
    await repository.putMessage(makeMessage({ id: 'live', conversationId: 'running', status: 'streaming', createdAt: 2 }));

    const marked = await repository.markStreamingInterrupted(99, (message) => message.conversationId === 'running');

    expect(marked.map((message) => message.id)).toEqual(['dead']);
    expect(await repository.getMessage('live')).toMatchObject({ status: 'streaming' });
  });
});

describe('settings', () => {
  it('starts from the defaults and keeps what was saved', async () => {
    repository = await openRepository();
    expect(await repository.getSettings()).toEqual({
      activeProviderId: null,
      activeModelId: null,
      recentModels: [],
      theme: 'system',
    });

    const settings = { activeProviderId: 'p', activeModelId: 'm', recentModels: ['p/m', 'q/n'], theme: 'dark' as const };
    await repository.putSettings(settings);
    expect(await repository.getSettings()).toEqual(settings);
  });

  it('fills fields an older build never stored', async () => {
    repository = await openRepository();
    // As an older build that knew no theme would have written it.
    await repository.putSettings({ activeProviderId: 'p', activeModelId: null, recentModels: [] } as never);
    expect(await repository.getSettings()).toEqual({
      activeProviderId: 'p',
      activeModelId: null,
      recentModels: [],
      theme: 'system',
    });
  });
});
