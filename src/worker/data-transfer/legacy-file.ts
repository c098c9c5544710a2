/**
 * A file exported by the seed (the `LLMConversation` list, optionally with its provider
 * instances), checked whole and converted to today's records by the same functions as the 1→2
 * schema upgrade: an imported conversation is indistinguishable from an upgraded one.
 */
import { appendAll } from '../../shared/arrays';
import { IMPORT_LIMITS } from '../../shared/data-limits';
import { ROLES } from '../../shared/protocol';
import type { DataSet } from '../storage/data-set';
import {
  convertLegacyConversation,
  convertLegacyProvider,
  type LLMConversation,
  type LLMModel,
  type LLMProviderInstance,
} from '../storage/legacy';
import { FieldReader, isRecord, list, record, type Fields } from './field-reader';
import { ImportProblem } from './import-scan';

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);

function optionalNumber(fields: FieldReader, field: string): number | undefined {
  const value = fields.record[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) fields.fail(`has a ${field} that is not a number`);
  return value;
}

function readConversation(value: unknown, index: number): LLMConversation {
  const fields: FieldReader = record(value, `conversation ${index + 1}`);
  const conversation: LLMConversation = {
    id: fields.id(),
    title: fields.text('title', IMPORT_LIMITS.mediumText),
    providerInstanceId: fields.text('providerInstanceId', IMPORT_LIMITS.shortText),
    modelId: fields.text('modelId', IMPORT_LIMITS.shortText),
    createdAt: fields.time('createdAt'),
    updatedAt: fields.time('updatedAt'),
    messages: [],
  };
  const systemPrompt = fields.optionalText('systemPrompt', IMPORT_LIMITS.longText);
  if (systemPrompt !== undefined) conversation.systemPrompt = systemPrompt;
  const messages = fields.record.messages;
  if (!Array.isArray(messages)) fields.fail('has no messages list');
  conversation.messages = messages.map((entry: unknown, position) => {
    const message: FieldReader = record(entry, `${fields.label}, message ${position + 1}`);
    return {
      id: message.id(),
      role: message.oneOf<LLMConversation['messages'][number]['role']>('role', ROLE_SET),
      content: message.text('content', IMPORT_LIMITS.longText),
      timestamp: message.time('timestamp'),
    };
  });
  return conversation;
}

function readModel(value: unknown, label: string): LLMModel {
  const fields: FieldReader = record(value, label);
  const model: LLMModel = { id: fields.id(), name: fields.text('name', IMPORT_LIMITS.mediumText), providerId: '' };
  const description = fields.optionalText('description', IMPORT_LIMITS.mediumText);
  if (description !== undefined) model.description = description;
  const contextLength = optionalNumber(fields, 'contextLength');
  if (contextLength !== undefined) model.contextLength = contextLength;
  const pricing = fields.record.pricing;
  if (pricing !== undefined) {
    if (!isRecord(pricing)) return fields.fail('has pricing that is not an object');
    const prices = new FieldReader(pricing, `${label}'s pricing`);
    model.pricing = {};
    const input = optionalNumber(prices, 'inputPerMillion');
    const output = optionalNumber(prices, 'outputPerMillion');
    if (input !== undefined) model.pricing.inputPerMillion = input;
    if (output !== undefined) model.pricing.outputPerMillion = output;
  }
  return model;
}

function readProvider(value: unknown, index: number): LLMProviderInstance {
  const fields: FieldReader = record(value, `provider ${index + 1}`);
  const instance: LLMProviderInstance = {
    id: fields.id(),
    providerId: fields.text('providerId', IMPORT_LIMITS.shortText),
    name: fields.text('name', IMPORT_LIMITS.mediumText),
    enabled: fields.boolean('enabled'),
  };
  const apiKey = fields.optionalText('apiKey', IMPORT_LIMITS.shortText);
  if (apiKey !== undefined) instance.apiKey = apiKey;
  // An empty address means "the preset's own".
  if (fields.record.baseUrl !== undefined && fields.record.baseUrl !== '') instance.baseUrl = fields.baseUrl('baseUrl');
  const lastUsed = optionalNumber(fields, 'lastUsed');
  if (lastUsed !== undefined) instance.lastUsed = lastUsed;
  const modelsCachedAt = optionalNumber(fields, 'modelsCachedAt');
  if (modelsCachedAt !== undefined) instance.modelsCachedAt = modelsCachedAt;
  const cachedModels = fields.record.cachedModels;
  if (cachedModels !== undefined) {
    if (!Array.isArray(cachedModels)) fields.fail('has a cachedModels value that is not a list');
    instance.cachedModels = cachedModels.map((model: unknown, position) =>
      readModel(model, `${fields.label}, model ${position + 1}`),
    );
  }
  return instance;
}

/** Whether the data looks like the seed's shape: a list, or an object with `conversations` and no `format`. */
export function isLegacyFile(data: unknown): boolean {
  return Array.isArray(data) || (isRecord(data) && !('format' in data) && 'conversations' in data);
}

/**
 * Accepts `{conversations, providers?}` or a bare list of conversations; throws an
 * `ImportProblem` naming the first problem. `now` stands in for creation times nobody recorded.
 */
export function readLegacyFile(data: unknown, now: number): DataSet {
  if (!isLegacyFile(data)) {
    throw new ImportProblem('it is not a Parley export (expected a list of conversations or an object with "conversations")');
  }
  const file: Fields = Array.isArray(data) ? { conversations: data } : (data as Fields);
  const dataSet: DataSet = { providers: [], models: [], conversations: [], messages: [], attachments: [] };
  for (const [index, value] of list(file, 'conversations', IMPORT_LIMITS.conversations).entries()) {
    const converted = convertLegacyConversation(readConversation(value, index));
    dataSet.conversations.push(converted.conversation);
    appendAll(dataSet.messages, converted.messages);
  }
  const providers = file.providers === undefined ? [] : list(file, 'providers', IMPORT_LIMITS.providers);
  for (const [index, value] of providers.entries()) {
    const converted = convertLegacyProvider(readProvider(value, index), now);
    dataSet.providers.push(converted.provider);
    appendAll(dataSet.models, converted.models);
  }
  return dataSet;
}
