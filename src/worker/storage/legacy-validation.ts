/**
 * Checks a legacy export before anything is written. An import is all or nothing, so the whole
 * file is checked first and the first problem is named in words a person can act on.
 */
import type { Result } from '../../shared/protocol';
import type { LLMConversation, LLMProviderInstance } from './legacy';

export interface LegacyExport {
  conversations: LLMConversation[];
  providers: LLMProviderInstance[];
}

type Fields = Record<string, unknown>;

const ROLES = new Set(['system', 'user', 'assistant']);

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isOptional(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isWebAddress(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function hasId(record: Fields): boolean {
  return typeof record.id === 'string' && record.id.length > 0;
}

/** The first problem with one conversation, or null when it is usable. */
function conversationProblem(value: unknown, label: string): string | null {
  if (!isRecord(value)) return `${label} is not an object`;
  if (!hasId(value)) return `${label} has no id`;
  if (!isString(value.title)) return `${label} has no title`;
  if (!isString(value.providerInstanceId)) return `${label} has no providerInstanceId`;
  if (!isString(value.modelId)) return `${label} has no modelId`;
  if (!isOptional(value.systemPrompt, isString)) return `${label} has a systemPrompt that is not text`;
  if (!isFiniteNumber(value.createdAt)) return `${label} has no valid createdAt time`;
  if (!isFiniteNumber(value.updatedAt)) return `${label} has no valid updatedAt time`;
  if (!Array.isArray(value.messages)) return `${label} has no messages list`;
  for (const [index, message] of value.messages.entries()) {
    const messageLabel = `${label}, message ${index + 1}`;
    if (!isRecord(message)) return `${messageLabel} is not an object`;
    if (!hasId(message)) return `${messageLabel} has no id`;
    if (!isString(message.role) || !ROLES.has(message.role)) {
      return `${messageLabel} has role ${JSON.stringify(message.role)} (expected system, user or assistant)`;
    }
    if (!isString(message.content)) return `${messageLabel} has no text content`;
    if (!isFiniteNumber(message.timestamp)) return `${messageLabel} has no valid timestamp`;
  }
  return null;
}

function modelProblem(value: unknown, label: string): string | null {
  if (!isRecord(value)) return `${label} is not an object`;
  if (!hasId(value)) return `${label} has no id`;
  if (!isString(value.name)) return `${label} has no name`;
  if (!isOptional(value.description, isString)) return `${label} has a description that is not text`;
  if (!isOptional(value.contextLength, isFiniteNumber)) return `${label} has a contextLength that is not a number`;
  if (value.pricing !== undefined) {
    const pricing = value.pricing;
    if (!isRecord(pricing)) return `${label} has pricing that is not an object`;
    if (!isOptional(pricing.inputPerMillion, isFiniteNumber) || !isOptional(pricing.outputPerMillion, isFiniteNumber)) {
      return `${label} has prices that are not numbers`;
    }
  }
  return null;
}

function providerProblem(value: unknown, label: string): string | null {
  if (!isRecord(value)) return `${label} is not an object`;
  if (!hasId(value)) return `${label} has no id`;
  if (!isString(value.providerId)) return `${label} has no providerId`;
  if (!isString(value.name)) return `${label} has no name`;
  if (typeof value.enabled !== 'boolean') return `${label} has no enabled flag`;
  if (!isOptional(value.apiKey, isString)) return `${label} has an apiKey that is not text`;
  if (!isOptional(value.baseUrl, isString)) return `${label} has a baseUrl that is not text`;
  // Every request, with the key, goes to this address: only a web address will do.
  if (isString(value.baseUrl) && value.baseUrl && !isWebAddress(value.baseUrl))
    return `${label} has a baseUrl that is not an http(s) address`;
  if (!isOptional(value.lastUsed, isFiniteNumber)) return `${label} has a lastUsed time that is not a number`;
  if (!isOptional(value.modelsCachedAt, isFiniteNumber)) return `${label} has a modelsCachedAt time that is not a number`;
  if (value.cachedModels !== undefined) {
    if (!Array.isArray(value.cachedModels)) return `${label} has a cachedModels value that is not a list`;
    for (const [index, model] of value.cachedModels.entries()) {
      const problem = modelProblem(model, `${label}, model ${index + 1}`);
      if (problem) return problem;
    }
  }
  return null;
}

function rejection(reason: string): Result<LegacyExport> {
  return {
    ok: false,
    error: { kind: 'config', message: `This file cannot be imported: ${reason}. Nothing was imported.`, retryable: false },
  };
}

/**
 * Accepts `{conversations, providers?}` or a bare list of conversations. Numbering in the
 * reasons starts at 1, as a person counts.
 */
export function parseLegacyExport(data: unknown): Result<LegacyExport> {
  let conversations: unknown;
  let providers: unknown = [];
  if (Array.isArray(data)) {
    conversations = data;
  } else if (isRecord(data)) {
    conversations = data.conversations;
    providers = data.providers ?? [];
  } else {
    return rejection('it is not a Parley export (expected a list of conversations or an object with "conversations")');
  }
  if (!Array.isArray(conversations)) return rejection('it has no "conversations" list');
  if (!Array.isArray(providers)) return rejection('its "providers" value is not a list');

  for (const [index, conversation] of conversations.entries()) {
    const problem = conversationProblem(conversation, `conversation ${index + 1}`);
    if (problem) return rejection(problem);
  }
  for (const [index, provider] of providers.entries()) {
    const problem = providerProblem(provider, `provider ${index + 1}`);
    if (problem) return rejection(problem);
  }
  return {
    ok: true,
    value: { conversations: conversations as LLMConversation[], providers: providers as LLMProviderInstance[] },
  };
}
