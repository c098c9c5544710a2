import type OpenAI from 'openai';
import type { Model } from '../../shared/protocol';
import { perTokenToPerMillion } from '../../shared/pricing';

/** The fields OpenAI-compatible model lists carry beyond the SDK's type, by provider. */
interface RawModel {
  id: string;
  name?: unknown;
  description?: unknown;
  context_length?: unknown;
  context_window?: unknown;
  max_context_length?: unknown;
  top_provider?: { context_length?: unknown };
  pricing?: { prompt?: unknown; completion?: unknown };
  /** OpenRouter: `input_modalities: ['text', 'image']`, and the older `modality: 'text+image->text'`. */
  architecture?: { input_modalities?: unknown; modality?: unknown };
}

/** What the model reads, when the list says; undefined when it does not (unknown, not "text only"). */
function inputModalities(raw: RawModel): string[] | undefined {
  const listed = raw.architecture?.input_modalities;
  if (Array.isArray(listed) && listed.every((entry) => typeof entry === 'string'))
    return listed.map((entry) => entry.toLowerCase());
  const modality = raw.architecture?.modality;
  if (typeof modality === 'string' && modality.includes('->')) {
    return modality
      .split('->')[0]
      .split('+')
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean);
  }
  return undefined;
}

function positiveInteger(...values: unknown[]): number | undefined {
  for (const value of values) {
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number === 'number' && Number.isInteger(number) && number > 0) return number;
  }
  return undefined;
}

/** One raw list entry as a stored `Model` (prices per million tokens, context length kept). */
export function normaliseModel(providerId: string, raw: RawModel, fetchedAt: number): Model {
  const model: Model = {
    providerId,
    id: raw.id,
    name: typeof raw.name === 'string' && raw.name.trim() ? raw.name.trim() : raw.id,
    fetchedAt,
  };
  if (typeof raw.description === 'string' && raw.description) model.description = raw.description;
  const contextLength = positiveInteger(
    raw.context_length,
    raw.context_window,
    raw.max_context_length,
    raw.top_provider?.context_length,
  );
  if (contextLength) model.contextLength = contextLength;
  const promptPerMillion = perTokenToPerMillion(raw.pricing?.prompt);
  const completionPerMillion = perTokenToPerMillion(raw.pricing?.completion);
  if (promptPerMillion !== undefined && completionPerMillion !== undefined) {
    model.pricing = { promptPerMillion, completionPerMillion };
  }
  const modalities = inputModalities(raw);
  if (modalities) model.inputModalities = modalities;
  return model;
}

/** Every model the provider lists, normalised, sorted by name. Throws the SDK's errors. */
export async function fetchModels(client: OpenAI, providerId: string, signal?: AbortSignal): Promise<Model[]> {
  const fetchedAt = Date.now();
  const models: Model[] = [];
  for await (const raw of client.models.list({ signal })) {
    if (typeof raw?.id === 'string' && raw.id) models.push(normaliseModel(providerId, raw as RawModel, fetchedAt));
  }
  return models.sort((a, b) => a.name.localeCompare(b.name));
}
