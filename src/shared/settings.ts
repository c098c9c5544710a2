import type { Settings } from './protocol';

/** How many `providerId/modelId` entries `Settings.recentModels` keeps, most recent first. */
export const RECENT_MODELS_LIMIT = 10;

/** The settings of a fresh install; a stored record is read over these (older builds stored less). */
export function defaultSettings(): Settings {
  return { activeProviderId: null, activeModelId: null, recentModels: [], theme: 'system' };
}

/** The key under which a model is remembered in `recentModels`. */
export function recentModelKey(providerId: string, modelId: string): string {
  return `${providerId}/${modelId}`;
}

/** `recentModels` with this model first, without duplicates, within the limit. */
export function withRecentModel(recentModels: readonly string[], providerId: string, modelId: string): string[] {
  const key = recentModelKey(providerId, modelId);
  return [key, ...recentModels.filter((entry) => entry !== key)].slice(0, RECENT_MODELS_LIMIT);
}
