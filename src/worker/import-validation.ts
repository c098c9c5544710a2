/**
 * Checks a Parley export, record by record, before anything is written, and rebuilds every
 * record from the fields Parley knows: nothing else in the file reaches the database. The first
 * problem rejects the file, named the way a person finds it ("message 12 of conversation “Trip”
 * has no role"); numbering starts at 1, as a person counts.
 */
import type {
  Conversation,
  ErrorInfo,
  FinishReason,
  Message,
  MessageStatus,
  Model,
  PresetId,
  Provider,
  Role,
  Settings,
  Theme,
  Usage,
} from '../shared/protocol';
import { EXPORT_FORMAT, EXPORT_VERSION, IMPORT_LIMITS } from '../shared/data-limits';
import { PRESETS } from '../shared/presets';
import { ImportProblem } from './import-scan';
import type { DataSet } from './storage/data-set';

type Fields = Record<string, unknown>;

const ROLES: ReadonlySet<string> = new Set<Role>(['system', 'user', 'assistant']);
const STATUSES: ReadonlySet<string> = new Set<MessageStatus>(['streaming', 'complete', 'stopped', 'interrupted', 'error']);
const FINISH_REASONS: ReadonlySet<string> = new Set(['stop', 'length', 'content_filter', 'tool_calls', 'error']);
const THEMES: ReadonlySet<string> = new Set<Theme>(['system', 'light', 'dark']);
const ERROR_KINDS: ReadonlySet<string> = new Set<ErrorInfo['kind']>([
  'auth',
  'billing',
  'not-found',
  'rate-limit',
  'server',
  'network',
  'cors',
  'timeout',
  'malformed-stream',
  'aborted',
  'busy',
  'storage',
  'config',
]);
const PRESET_IDS: ReadonlySet<string> = new Set(PRESETS.map((preset) => preset.id));
/** Later than any real clock reading (the largest Date), earlier than none. */
const LATEST_TIME = 8.64e15;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as it may appear inside a reason: short, on one line. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** A title fit for a reason: no control, bidi or zero-width characters, at most 40 characters. */
function shownTitle(title: string): string {
  const clean = title.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '').trim();
  return clean.length > 40 ? `${clean.slice(0, 39)}…` : clean;
}

/** Reads the fields of one record, naming the record in every complaint. */
class FieldReader {
  constructor(
    readonly record: Fields,
    readonly label: string,
  ) {}

  fail(problem: string): never {
    throw new ImportProblem(`${this.label} ${problem}`);
  }

  text(field: string, max: number): string {
    const value = this.record[field];
    if (value === undefined || value === null) this.fail(`has no ${field}`);
    if (typeof value !== 'string') this.fail(`has a ${field} that is not text (${shown(value)})`);
    if (value.length > max) this.fail(`has a ${field} of ${value.length} characters (at most ${max})`);
    return value;
  }

  optionalText(field: string, max: number): string | undefined {
    return this.record[field] === undefined ? undefined : this.text(field, max);
  }

  id(field = 'id'): string {
    const value = this.text(field, IMPORT_LIMITS.shortText);
    if (!value) this.fail(`has an empty ${field}`);
    return value;
  }

  time(field: string): number {
    const value = this.record[field];
    if (value === undefined) this.fail(`has no ${field} time`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > LATEST_TIME) {
      this.fail(`has a ${field} time that is not a valid date (${shown(value)})`);
    }
    return value;
  }

  optionalTime(field: string): number | undefined {
    return this.record[field] === undefined ? undefined : this.time(field);
  }

  /** A non-negative finite number: a price, a cost, a delay. */
  amount(field: string, value: unknown = this.record[field]): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      this.fail(`has a ${field} that is not a number of zero or more (${shown(value)})`);
    }
    return value;
  }

  boolean(field: string): boolean {
    const value = this.record[field];
    if (typeof value !== 'boolean') this.fail(`has a ${field} that is not true or false (${shown(value)})`);
    return value;
  }

  oneOf<T extends string>(field: string, allowed: ReadonlySet<string>): T {
    const value = this.record[field];
    if (value === undefined) this.fail(`has no ${field}`);
    if (typeof value !== 'string' || !allowed.has(value)) {
      this.fail(`has ${field} ${shown(value)} (expected one of ${[...allowed].join(', ')})`);
    }
    return value as T;
  }

  usage(field: string): Usage {
    const value = this.record[field];
    if (!isRecord(value)) this.fail(`has a ${field} that is not an object`);
    const count = (name: 'promptTokens' | 'completionTokens'): number => {
      const tokens = value[name];
      if (typeof tokens !== 'number' || !Number.isInteger(tokens) || tokens < 0) {
        this.fail(`has ${field}.${name} that is not a whole number of zero or more (${shown(tokens)})`);
      }
      return tokens;
    };
    return { promptTokens: count('promptTokens'), completionTokens: count('completionTokens') };
  }
}

function list(data: Fields, field: string, limit: number): unknown[] {
  const value = data[field];
  if (!Array.isArray(value)) throw new ImportProblem(`it has no "${field}" list`);
  if (value.length > limit)
    throw new ImportProblem(`it has ${value.length} ${field}, more than the ${limit} Parley imports at once`);
  return value;
}

function record(value: unknown, label: string): FieldReader {
  if (!isRecord(value)) throw new ImportProblem(`${label} is not an object (${shown(value)})`);
  return new FieldReader(value, label);
}

function unique(seen: Set<string>, id: string, label: string, kind: string): void {
  if (seen.has(id)) throw new ImportProblem(`${label} has the same id as an earlier ${kind} (${shown(id)})`);
  seen.add(id);
}

function readProvider(value: unknown, index: number): Provider {
  let fields: FieldReader = record(value, `provider ${index + 1}`);
  const name = fields.text('name', IMPORT_LIMITS.mediumText);
  if (name.trim()) fields = new FieldReader(fields.record, `provider “${shownTitle(name)}”`);
  const presetId = fields.text('presetId', IMPORT_LIMITS.shortText);
  const baseURL = fields.text('baseURL', IMPORT_LIMITS.shortText);
  let protocol = '';
  try {
    protocol = new URL(baseURL).protocol;
  } catch {
    fields.fail(`has a base URL that is not a web address (${shown(baseURL)})`);
  }
  if (protocol !== 'https:' && protocol !== 'http:')
    fields.fail(`has a base URL that is not an http(s) address (${shown(baseURL)})`);
  const provider: Provider = {
    id: fields.id(),
    // A preset of a newer build is treated as custom, as everywhere else.
    presetId: (PRESET_IDS.has(presetId) ? presetId : 'custom') as PresetId,
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

function readConversation(value: unknown, index: number): { conversation: Conversation; label: string } {
  let fields: FieldReader = record(value, `conversation ${index + 1}`);
  const title = fields.text('title', IMPORT_LIMITS.mediumText);
  const label = shownTitle(title) ? `conversation “${shownTitle(title)}”` : `conversation ${index + 1}`;
  fields = new FieldReader(fields.record, label);
  const conversation: Conversation = {
    id: fields.id(),
    title,
    providerId: fields.text('providerId', IMPORT_LIMITS.shortText),
    modelId: fields.text('modelId', IMPORT_LIMITS.shortText),
    createdAt: fields.time('createdAt'),
    updatedAt: fields.time('updatedAt'),
    usage: fields.usage('usage'),
    cost: fields.amount('cost'),
  };
  const systemPrompt = fields.optionalText('systemPrompt', IMPORT_LIMITS.longText);
  if (systemPrompt !== undefined) conversation.systemPrompt = systemPrompt;
  return { conversation, label };
}

function readError(fields: FieldReader): ErrorInfo {
  const value = fields.record.error;
  if (!isRecord(value)) fields.fail('has an error that is not an object');
  const error: FieldReader = new FieldReader(value, `${fields.label}'s error`);
  const info: ErrorInfo = {
    kind: error.oneOf('kind', ERROR_KINDS),
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

function readMessage(fields: FieldReader, conversationId: string): Message {
  const id = fields.id();
  const role = fields.oneOf<Role>('role', ROLES);
  const content = fields.text('content', IMPORT_LIMITS.longText);
  const status = fields.oneOf<MessageStatus>('status', STATUSES);
  const message: Message = {
    id,
    conversationId,
    role,
    content,
    // A reply exported while it was being written has no run to finish it here.
    status: status === 'streaming' ? 'interrupted' : status,
    createdAt: fields.time('createdAt'),
    updatedAt: fields.time('updatedAt'),
  };
  const reasoning = fields.optionalText('reasoning', IMPORT_LIMITS.longText);
  if (reasoning !== undefined) message.reasoning = reasoning;
  if (fields.record.error !== undefined) message.error = readError(fields);
  if (fields.record.usage !== undefined) message.usage = fields.usage('usage');
  if (fields.record.cost !== undefined) message.cost = fields.amount('cost');
  const model = fields.optionalText('model', IMPORT_LIMITS.shortText);
  if (model !== undefined) message.model = model;
  const providerId = fields.optionalText('providerId', IMPORT_LIMITS.shortText);
  if (providerId !== undefined) message.providerId = providerId;
  const finishReason = fields.record.finishReason;
  if (finishReason !== undefined) {
    if (finishReason !== null && (typeof finishReason !== 'string' || !FINISH_REASONS.has(finishReason))) {
      fields.fail(`has finishReason ${shown(finishReason)} (expected one of ${[...FINISH_REASONS].join(', ')})`);
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
    recentModels: (recent as string[]).slice(0, 10),
    theme: fields.oneOf<Theme>('theme', THEMES),
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
    const { conversation, label } = readConversation(value, index);
    if (labels.has(conversation.id))
      throw new ImportProblem(`${label} has the same id as an earlier conversation (${shown(conversation.id)})`);
    labels.set(conversation.id, label);
    conversations.push(conversation);
  }

  const messages: Message[] = [];
  const messageIds = new Set<string>();
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
    const message = readMessage(fields, conversationId as string);
    unique(messageIds, message.id, fields.label, 'message');
    messages.push(message);
  }

  const dataSet: DataSet = { providers, models, conversations, messages };
  if (data.settings !== undefined && data.settings !== null) dataSet.settings = readSettings(data.settings);
  return dataSet;
}
