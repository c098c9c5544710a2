/**
 * "Detect local servers": the local presets' default addresses, probed from the core (the UI never
 * calls fetch). A server that lists its models is offered with them; one that is running but
 * refuses this page is offered with the setting that lets it in; a closed port, or something
 * that is not a model server, is left out.
 */
import { PRESETS } from '../../shared/presets';
import type { LocalServer, PresetId } from '../../shared/protocol';
import { makeOpenAIClient } from './client';
import { classifyProviderError } from './errors';
import { fetchModels } from './models';

/** One address to probe. */
export interface LocalServerTarget {
  presetId: PresetId;
  baseURL: string;
}

/** The local presets at their default addresses (Ollama, LM Studio, llama.cpp). */
export const DEFAULT_LOCAL_TARGETS: readonly LocalServerTarget[] = PRESETS.filter((preset) => preset.local).map((preset) => ({
  presetId: preset.id,
  baseURL: preset.baseURL,
}));

/** Long enough for a local server busy loading a model to list them; a closed port fails at once. */
const PROBE_TIMEOUT_MS = 4000;

/** Failures that still mean "a model server is there": it refused this page, or wants a key. */
const THERE_BUT_REFUSING = new Set(['cors', 'auth']);

async function probe(
  target: LocalServerTarget,
  reachable?: (baseURL: string) => Promise<boolean>,
): Promise<LocalServer | undefined> {
  const preset = PRESETS.find((candidate) => candidate.id === target.presetId);
  const name = preset?.name ?? target.presetId;
  const provider = { presetId: target.presetId, baseURL: target.baseURL, name };
  try {
    const models = await fetchModels(makeOpenAIClient(provider), target.presetId, AbortSignal.timeout(PROBE_TIMEOUT_MS));
    return { presetId: target.presetId, name, baseURL: target.baseURL, models: models.map((model) => model.id) };
  } catch (error) {
    const problem = await classifyProviderError(error, { provider, listing: true }, reachable);
    return THERE_BUT_REFUSING.has(problem.kind)
      ? { presetId: target.presetId, name, baseURL: target.baseURL, models: [], problem }
      : undefined;
  }
}

/** Probe every target at once; the servers found, in the targets' order. */
export async function detectLocalServers(
  targets: readonly LocalServerTarget[] = DEFAULT_LOCAL_TARGETS,
  reachable?: (baseURL: string) => Promise<boolean>,
): Promise<LocalServer[]> {
  const found = await Promise.all(targets.map((target) => probe(target, reachable)));
  return found.filter((server): server is LocalServer => server !== undefined);
}
