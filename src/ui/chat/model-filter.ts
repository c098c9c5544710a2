import type { Model, Provider } from '../../shared/protocol';

/** A section of the model picker. */
export interface ModelGroup {
  label: string;
  models: Model[];
}

/** "128k" for a context length. */
export function formatContext(tokens: number | undefined): string | undefined {
  if (!tokens) return undefined;
  return tokens >= 1000 ? `${Math.round(tokens / 1000)}k ctx` : `${tokens} ctx`;
}

/**
 * The picker's sections for a query: recently used models first (in use order), then every
 * enabled provider's models. A query matches model id, name or provider name, word by word.
 */
export function groupModels(models: Model[], providers: Provider[], recent: string[], query: string): ModelGroup[] {
  const names = new Map(providers.filter((provider) => provider.enabled).map((provider) => [provider.id, provider.name]));
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (model: Model) => {
    const haystack = `${model.id} ${model.name} ${names.get(model.providerId) ?? ''}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  };
  const visible = models.filter((model) => names.has(model.providerId) && matches(model));
  const byKey = new Map(visible.map((model) => [`${model.providerId}/${model.id}`, model]));
  const groups: ModelGroup[] = [];
  const recentModels = recent.map((key) => byKey.get(key)).filter((model): model is Model => Boolean(model));
  if (recentModels.length) groups.push({ label: 'Recent', models: recentModels });
  for (const [providerId, name] of names) {
    const list = visible.filter((model) => model.providerId === providerId);
    if (list.length) groups.push({ label: name, models: list });
  }
  return groups;
}
