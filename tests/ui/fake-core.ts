import { Subject } from 'rxjs';
import { vi } from 'vitest';
import type {
  Conversation,
  CoreEvent,
  FinalMessage,
  Message,
  Model,
  Provider,
  Result,
  SendReceipt,
  Settings,
} from '../../src/shared/protocol';
import type { UiClient } from '../../src/ui/state/app-store';

const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'c1',
    title: 'First chat',
    providerId: 'p1',
    modelId: 'model-a',
    createdAt: 1,
    updatedAt: Date.now(),
    usage: { promptTokens: 0, completionTokens: 0 },
    cost: 0,
    ...overrides,
  };
}

export function message(overrides: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    conversationId: 'c1',
    role: 'assistant',
    content: 'Hello',
    status: 'complete',
    createdAt: 10,
    updatedAt: 10,
    ...overrides,
  };
}

export const PROVIDER: Provider = {
  id: 'p1',
  presetId: 'custom',
  name: 'Mock',
  baseURL: 'http://x/v1',
  enabled: true,
  createdAt: 1,
};

/**
 * A fake core for UI tests: fixed data, every method a spy, and `emit` to push core events as
 * the worker would.
 */
export function makeFakeCore(
  data: { conversations?: Conversation[]; messages?: Message[]; models?: Model[]; settings?: Partial<Settings> } = {},
) {
  const events$ = new Subject<CoreEvent>();
  const messages = data.messages ?? [];
  const api = {
    listConversations: vi.fn(async () => data.conversations ?? []),
    listProviders: vi.fn(async () => [PROVIDER]),
    listAllModels: vi.fn(async () => data.models ?? []),
    isOffline: vi.fn(async () => false),
    getSettings: vi.fn(async (): Promise<Settings> => ({
      activeProviderId: null,
      activeModelId: null,
      recentModels: [],
      theme: 'system',
      ...data.settings,
    })),
    listMessages: vi.fn(async (id: string) => messages.filter((entry) => entry.conversationId === id)),
    openSession: vi.fn(async () => {}),
    closeSession: vi.fn(async () => {}),
    requestSnapshot: vi.fn(async () => {}),
    sendMessage: vi.fn(async (): Promise<Result<SendReceipt>> => ok({ userMessageId: 'u', assistantMessageId: 'a' })),
    stopGeneration: vi.fn(async () => ok(undefined)),
    resumeGeneration: vi.fn(async (): Promise<Result<SendReceipt>> => ok({ userMessageId: '', assistantMessageId: 'a' })),
    regenerate: vi.fn(async (): Promise<Result<SendReceipt>> => ok({ userMessageId: '', assistantMessageId: 'a' })),
    deleteMessage: vi.fn(async () => ok(undefined)),
    updateConversation: vi.fn(async () => ok(conversation())),
    renameConversation: vi.fn(async () => ok(conversation())),
    deleteConversation: vi.fn(async () => ok(undefined)),
    createConversation: vi.fn(async () => ok(conversation({ id: 'new' }))),
  };
  const client = { api, events$ } as unknown as UiClient;
  return { client, api, emit: (event: CoreEvent) => events$.next(event) };
}

/** A `message-end` payload for a message: everything but the text, with its lengths. */
export function ending(full: Message): FinalMessage {
  const { content, reasoning, ...rest } = full;
  return { ...rest, contentLength: content.length, reasoningLength: reasoning?.length ?? 0 };
}
