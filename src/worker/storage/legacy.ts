/**
 * The records Parley grew from (the seed's Dexie schema), and their conversion to today's rows.
 * Both the 1→2 schema upgrade and `Repository.importLegacy` go through these functions, so an
 * imported file and an upgraded database end up identical.
 */
import type { Conversation, Message, Model, PresetId, Provider } from '../../shared/protocol';
import { PRESETS, presetById } from '../../shared/presets';
import { linkInOrder } from '../../shared/tree';

export interface LLMMessage {
  id: string;
  role: 'system' | 'user' | 'assistant';
  content: string;
  timestamp: number;
}

export interface LLMConversation {
  id: string;
  title: string;
  providerInstanceId: string;
  modelId: string;
  systemPrompt?: string;
  messages: LLMMessage[];
  createdAt: number;
  updatedAt: number;
}

export interface LLMModel {
  id: string;
  name: string;
  providerId: string;
  contextLength?: number;
  description?: string;
  tags?: string[];
  vramMB?: number;
  downloadSize?: string;
  isDownloaded?: boolean;
  pricing?: {
    inputPerMillion?: number;
    outputPerMillion?: number;
  };
}

export interface LLMProviderInstance {
  id: string;
  providerId: string;
  name: string;
  apiKey?: string;
  baseUrl?: string;
  enabled: boolean;
  lastUsed?: number;
  lastModelId?: string;
  cachedModels?: LLMModel[];
  modelsCachedAt?: number;
}

export interface ConvertedConversation {
  conversation: Conversation;
  messages: Message[];
}

export interface ConvertedProvider {
  provider: Provider;
  models: Model[];
}

/**
 * One header plus one row per embedded message. The legacy array order is the conversation's
 * order, but rows are read back sorted by `[conversationId, createdAt]`: tied or backwards
 * timestamps are nudged forward by a millisecond so that order survives.
 */
export function convertLegacyConversation(legacy: LLMConversation): ConvertedConversation {
  const conversation: Conversation = {
    id: legacy.id,
    title: legacy.title,
    providerId: legacy.providerInstanceId,
    modelId: legacy.modelId,
    createdAt: legacy.createdAt,
    updatedAt: legacy.updatedAt,
    activeLeafId: null,
    usage: { promptTokens: 0, completionTokens: 0 },
    cost: 0,
  };
  if (legacy.systemPrompt !== undefined) conversation.systemPrompt = legacy.systemPrompt;

  let previous = -Infinity;
  const messages = (Array.isArray(legacy.messages) ? legacy.messages : []).map((message, index): Message => {
    const timestamp = Number.isFinite(message.timestamp) ? message.timestamp : legacy.createdAt;
    const createdAt = timestamp > previous ? timestamp : previous + 1;
    previous = createdAt;
    return {
      // A row without a key would abort the whole upgrade, so an id the seed never wrote is made up.
      id: typeof message.id === 'string' && message.id ? message.id : `${legacy.id}/${index}`,
      conversationId: legacy.id,
      parentId: null,
      role: message.role,
      content: message.content,
      status: 'complete',
      createdAt,
      updatedAt: createdAt,
    };
  });
  // The seed kept one flat list: each message follows the one before it.
  conversation.activeLeafId = linkInOrder(messages);
  return { conversation, messages };
}

function isPresetId(id: string): id is PresetId {
  return PRESETS.some((preset) => preset.id === id);
}

/** A provider and its cached model list. `now` stands in for the creation time nobody recorded. */
export function convertLegacyProvider(instance: LLMProviderInstance, now: number): ConvertedProvider {
  const presetId: PresetId = isPresetId(instance.providerId) ? instance.providerId : 'custom';
  const provider: Provider = {
    id: instance.id,
    presetId,
    name: instance.name,
    baseURL: instance.baseUrl || presetById(presetId).baseURL,
    enabled: instance.enabled,
    createdAt: now,
  };
  if (instance.apiKey) provider.apiKey = instance.apiKey;
  if (instance.lastUsed !== undefined) provider.lastUsed = instance.lastUsed;

  const fetchedAt = instance.modelsCachedAt ?? 0;
  const models = (instance.cachedModels ?? []).map((legacyModel): Model => {
    // The model's own `providerId` named the preset kind; rows belong to the instance.
    const model: Model = { providerId: instance.id, id: legacyModel.id, name: legacyModel.name, fetchedAt };
    if (legacyModel.description !== undefined) model.description = legacyModel.description;
    if (legacyModel.contextLength !== undefined) model.contextLength = legacyModel.contextLength;
    const pricing = legacyModel.pricing;
    if (pricing && (pricing.inputPerMillion !== undefined || pricing.outputPerMillion !== undefined)) {
      model.pricing = {
        promptPerMillion: pricing.inputPerMillion ?? 0,
        completionPerMillion: pricing.outputPerMillion ?? 0,
      };
    }
    return model;
  });
  return { provider, models };
}

/** Conversations and their messages, as written together. */
export interface ConversationRows {
  conversations: Conversation[];
  messages: Message[];
}

/**
 * Legacy message ids were only ever unique within their conversation; the messages store is
 * keyed by id alone, so a clash would silently overwrite another conversation's message. A
 * clashing id gets the conversation id as a prefix (and a counter if even that is taken), and
 * the links to it (`parentId`, `activeLeafId`) follow. `taken` is updated with every id handed
 * out, so one set can follow a whole batch.
 */
export function withUniqueMessageIds(rows: ConversationRows, taken: Set<string>): ConversationRows {
  const renamed = new Map<string, string>();
  const key = (conversationId: string, id: string) => `${conversationId}\n${id}`;
  const messages = rows.messages.map((message) => {
    let id = message.id;
    for (let attempt = 1; taken.has(id); attempt += 1) {
      id = attempt === 1 ? `${message.conversationId}/${message.id}` : `${message.conversationId}/${message.id}/${attempt}`;
    }
    taken.add(id);
    if (id !== message.id) renamed.set(key(message.conversationId, message.id), id);
    return id === message.id ? message : { ...message, id };
  });
  if (renamed.size === 0) return rows;
  const remap = (conversationId: string, id: string | null) =>
    id === null ? null : (renamed.get(key(conversationId, id)) ?? id);
  return {
    messages: messages.map((message) => ({ ...message, parentId: remap(message.conversationId, message.parentId) })),
    conversations: rows.conversations.map((conversation) => ({
      ...conversation,
      activeLeafId: remap(conversation.id, conversation.activeLeafId),
    })),
  };
}
