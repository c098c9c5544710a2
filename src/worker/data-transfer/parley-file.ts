/**
 * Checks a Parley export, record by record, before anything is written, and rebuilds every
 * record from the fields Parley knows: nothing else in the file reaches the database. The first
 * problem rejects the file, named the way a person finds it ("message 12 of conversation “Trip”
 * has no role"); numbering starts at 1, as a person counts.
 */
import { EXPORT_FORMAT, EXPORT_VERSION, IMPORT_LIMITS } from '../../shared/data-limits';
import {
  ERROR_KINDS,
  FINISH_REASONS,
  MESSAGE_STATUSES,
  PRESET_IDS,
  ROLES,
  THEMES,
  type Conversation,
  type ErrorInfo,
  type FinishReason,
  type Message,
  type MessageStatus,
  type Model,
  type PresetId,
  type Provider,
  type Role,
  type Settings,
  type Theme,
} from '../../shared/protocol';
import { RECENT_MODELS_LIMIT } from '../../shared/settings';
import type { DataSet } from '../storage/data-set';
import { FieldReader, isRecord, list, record, shown, shownTitle, unique, type Fields } from './field-reader';
import { ImportProblem } from './import-scan';
import { checkTrees, linkFlatConversations } from './trees';
import { readAttachmentReferences, readAttachments } from './attachment-file';

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);
const STATUS_SET: ReadonlySet<string> = new Set(MESSAGE_STATUSES);
const FINISH_REASON_SET: ReadonlySet<string> = new Set(FINISH_REASONS);
const THEME_SET: ReadonlySet<string> = new Set(THEMES);
const ERROR_KIND_SET: ReadonlySet<string> = new Set(ERROR_KINDS);
const PRESET_ID_SET: ReadonlySet<string> = new Set(PRESET_IDS);

function readProvider(value: unknown, index: number): Provider {
  let fields: FieldReader = record(value, `provider ${index + 1}`);
  const name = fields.text('name', IMPORT_LIMITS.mediumText);
  if (name.trim()) fields = new FieldReader(fields.record, `provider “${shownTitle(name)}”`);
  const presetId = fields.text('presetId', IMPORT_LIMITS.shortText);
  const baseURL = fields.baseUrl('baseURL');
  const provider: Provider = {
    id: fields.id(),
    // A preset of a newer build is treated as custom, as everywhere else.
    presetId: (PRESET_ID_SET.has(presetId) ? presetId : 'custom') as PresetId,
    name,
    baseURL,
    enabled: fields.boolean('enabled'),
    createdAt: fields.time('createdAt'),
  };
  const apiKey = fields.optionalText('apiKey', IMPORT_LIMITS.shortText);
  if (apiKey) provider.apiKey = apiKey;
  const lastUsed = fields.optionalTime('lastUsed');
  if (lastUsed !== undefined) provider.lastUsed = lastUsed;
  return provider;
}

function readModel(value: unknown, index: number, providerIds: Set<string>): Model {
  const fields: FieldReader = record(value, `model ${index + 1}`);
  const providerId = fields.id('providerId');
  if (!providerIds.has(providerId)) fields.fail(`belongs to a provider that is not in the file (${shown(providerId)})`);
  const model: Model = {
    providerId,
    id: fields.id(),
    name: fields.text('name', IMPORT_LIMITS.mediumText),
    fetchedAt: fields.time('fetchedAt'),
  };
  const description = fields.optionalText('description', IMPORT_LIMITS.mediumText);
  if (description !== undefined) model.description = description;
  const contextLength = fields.record.contextLength;
  if (contextLength !== undefined) {
    if (typeof contextLength !== 'number' || !Number.isInteger(contextLength) || contextLength <= 0) {
      fields.fail(`has a contextLength that is not a whole number above zero (${shown(contextLength)})`);
    }
    model.contextLength = contextLength;
  }
  const modalities = fields.record.inputModalities;
  if (modalities !== undefined) {
    if (
      !Array.isArray(modalities) ||
      modalities.length > 20 ||
      !modalities.every((entry) => typeof entry === 'string' && entry.length < 40)
    ) {
      fields.fail('has inputModalities that are not a short list of words');
    }
    model.inputModalities = modalities as string[];
  }
  const pricing = fields.record.pricing;
  if (pricing !== undefined) {
    if (!isRecord(pricing)) fields.fail('has pricing that is not an object');
    model.pricing = {
      promptPerMillion: fields.amount('pricing.promptPerMillion', pricing.promptPerMillion),
      completionPerMillion: fields.amount('pricing.completionPerMillion', pricing.completionPerMillion),
    };
  }
  return model;
}

/** A tree link (`parentId`, `activeLeafId`): an id, or null. Export version 1 had none. */
function link(fields: FieldReader, field: string, version: number): string | null {
  if (version < 2 || fields.record[field] === null) return null;
  return fields.id(field);
}

function readConversation(value: unknown, index: number, version: number): { conversation: Conversation; label: string } {
  let fields: FieldReader = record(value, `conversation ${index + 1}`);
  const title = fields.text('title', IMPORT_LIMITS.mediumText);
  const label = shownTitle(title) ? `conversation “${shownTitle(title)}”` : `conversation ${index + 1}`;
  fields = new FieldReader(fields.record, label);
  const conversation: Conversation = {
    id: fields.id(),
    title,
    activeLeafId: link(fields, 'activeLeafId', version),
    providerId: fields.text('providerId', IMPORT_LIMITS.shortText),
    modelId: fields.text('modelId', IMPORT_LIMITS.shortText),
    createdAt: fields.time('createdAt'),
    updatedAt: fields.time('updatedAt'),
    usage: fields.usage('usage'),
    cost: fields.amount('cost'),
  };
  const systemPrompt = fields.optionalText('systemPrompt', IMPORT_LIMITS.longText);
  if (systemPrompt !== undefined) conversation.systemPrompt = systemPrompt;
  if (fields.record.costUnknown !== undefined && fields.boolean('costUnknown')) conversation.costUnknown = true;
  return { conversation, label };
}

function readError(fields: FieldReader): ErrorInfo {
  const value = fields.record.error;
  if (!isRecord(value)) fields.fail('has an error that is not an object');
  const error: FieldReader = new FieldReader(value, `${fields.label}'s error`);
  const info: ErrorInfo = {
    kind: error.oneOf('kind', ERROR_KIND_SET),
    message: error.text('message', IMPORT_LIMITS.mediumText),
    retryable: error.boolean('retryable'),
  };
  const status = value.httpStatus;
  if (status !== undefined) {
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
      error.fail(`has an httpStatus that is not an HTTP status (${shown(status)})`);
    }
    info.httpStatus = status;
  }
  if (value.retryAfterMs !== undefined) info.retryAfterMs = error.amount('retryAfterMs');
  return info;
}

function readMessage(fields: FieldReader, conversationId: string, version: number): Message {
  const id = fields.id();
  const role = fields.oneOf<Role>('role', ROLE_SET);
  const content = fields.text('content', IMPORT_LIMITS.longText);
  const status = fields.oneOf<MessageStatus>('status', STATUS_SET);
  const message: Message = {
    id,
    conversationId,
    parentId: link(fields, 'parentId', version),
    role,
    content,
    // A reply exported while it was being written has no run to finish it here.
    status: status === 'streaming' ? 'interrupted' : status,
    createdAt: fields.time('createdAt'),
    updatedAt: fields.time('updatedAt'),
  };
  const reasoning = fields.optionalText('reasoning', IMPORT_LIMITS.longText);
  if (reasoning !== undefined) message.reasoning = reasoning;
  if (fields.record.reasoningMs !== undefined) message.reasoningMs = fields.amount('reasoningMs');
  if (fields.record.error !== undefined) message.error = readError(fields);
  const attachments = readAttachmentReferences(fields);
  if (attachments?.length) message.attachments = attachments;
  if (fields.record.usage !== undefined) message.usage = fields.usage('usage');
  if (fields.record.cost !== undefined) message.cost = fields.amount('cost');
  if (fields.record.costUnknown !== undefined && fields.boolean('costUnknown')) message.costUnknown = true;
  const model = fields.optionalText('model', IMPORT_LIMITS.shortText);
  if (model !== undefined) message.model = model;
  const providerId = fields.optionalText('providerId', IMPORT_LIMITS.shortText);
  if (providerId !== undefined) message.providerId = providerId;
  const finishReason = fields.record.finishReason;
  if (finishReason !== undefined) {
    if (finishReason !== null && (typeof finishReason !== 'string' || !FINISH_REASON_SET.has(finishReason))) {
      fields.fail(`has finishReason ${shown(finishReason)} (expected one of ${FINISH_REASONS.join(', ')})`);
    }
    message.finishReason = finishReason as FinishReason;
  }
  return message;
}

function readSettings(value: unknown): Settings {
  const fields: FieldReader = record(value, 'the settings');
  const nullableId = (field: string): string | null => (fields.record[field] === null ? null : fields.id(field));
  const recent = fields.record.recentModels;
  if (
    !Array.isArray(recent) ||
    recent.length > 100 ||
    !recent.every((entry) => typeof entry === 'string' && entry.length <= IMPORT_LIMITS.shortText)
  ) {
    fields.fail('have a recentModels value that is not a short list of model names');
  }
  return {
    activeProviderId: nullableId('activeProviderId'),
    activeModelId: nullableId('activeModelId'),
    recentModels: (recent as string[]).slice(0, RECENT_MODELS_LIMIT),
    theme: fields.oneOf<Theme>('theme', THEME_SET),
  };
}

/** Whether the data claims to be a Parley export (rather than a legacy file). */
export function isParleyExport(data: unknown): data is Fields {
  return isRecord(data) && 'format' in data;
}

/**
 * Checks the whole export and returns its records, rebuilt from known fields only. Throws an
 * `ImportProblem` naming the first problem.
 */
export function readParleyExport(data: Fields): DataSet {
  if (data.format !== EXPORT_FORMAT) throw new ImportProblem(`it is a ${shown(data.format)} file, not a Parley export`);
  const version = data.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ImportProblem(`its format version ${shown(version)} is not one Parley ever wrote`);
  }
  if (version > EXPORT_VERSION) {
    throw new ImportProblem(`it was made by a newer Parley (format version ${version}); update Parley, then import it again`);
  }

  const providers: Provider[] = [];
  const providerIds = new Set<string>();
  for (const [index, value] of list(data, 'providers', IMPORT_LIMITS.providers).entries()) {
    const provider = readProvider(value, index);
    unique(providerIds, provider.id, `provider ${index + 1}`, 'provider');
    providers.push(provider);
  }

  const models: Model[] = [];
  const modelKeys = new Set<string>();
  for (const [index, value] of list(data, 'models', IMPORT_LIMITS.models).entries()) {
    const model = readModel(value, index, providerIds);
    unique(modelKeys, JSON.stringify([model.providerId, model.id]), `model ${index + 1}`, 'model of the same provider');
    models.push(model);
  }

  const conversations: Conversation[] = [];
  const labels = new Map<string, string>();
  for (const [index, value] of list(data, 'conversations', IMPORT_LIMITS.conversations).entries()) {
    const { conversation, label } = readConversation(value, index, version);
    if (labels.has(conversation.id))
      throw new ImportProblem(`${label} has the same id as an earlier conversation (${shown(conversation.id)})`);
    labels.set(conversation.id, label);
    conversations.push(conversation);
  }

  const messages: Message[] = [];
  const messageIds = new Set<string>();
  /** Attachment id → the message that lists it. */
  const listed = new Map<string, { conversationId: string; messageId: string }>();
  const perConversation = new Map<string, number>();
  const rawMessages = list(data, 'messages', IMPORT_LIMITS.messages);
  for (const [index, value] of rawMessages.entries()) {
    const anonymous: FieldReader = record(value, `message ${index + 1} of ${rawMessages.length}`);
    const conversationId = anonymous.record.conversationId;
    const conversationLabel = typeof conversationId === 'string' ? labels.get(conversationId) : undefined;
    if (!conversationLabel) {
      anonymous.fail(
        conversationId === undefined
          ? 'has no conversationId'
          : `belongs to a conversation that is not in the file (${shown(conversationId)})`,
      );
    }
    const position = (perConversation.get(conversationId as string) ?? 0) + 1;
    perConversation.set(conversationId as string, position);
    const fields = new FieldReader(anonymous.record, `message ${position} of ${conversationLabel}`);
    const message = readMessage(fields, conversationId as string, version);
    unique(messageIds, message.id, fields.label, 'message');
    for (const attachment of message.attachments ?? []) {
      if (listed.has(attachment.id)) fields.fail(`lists a file another message lists too (${shown(attachment.id)})`);
      listed.set(attachment.id, { conversationId: message.conversationId, messageId: message.id });
    }
    messages.push(message);
  }
  const attachments = readAttachments(data, listed);

  if (version < 2) linkFlatConversations(conversations, messages);
  else checkTrees(conversations, messages, labels);

  const dataSet: DataSet = { providers, models, conversations, messages, attachments };
  if (data.settings !== undefined && data.settings !== null) dataSet.settings = readSettings(data.settings);
  return dataSet;
}
