import type {
  ConnectionReport,
  Conversation,
  ErrorInfo,
  Model,
  ModelPricing,
  Provider,
  ProviderInput,
  Result,
  Settings,
} from '../../shared/protocol';
import { parseBaseUrl } from '../../shared/base-url';
import { newId } from '../../shared/ids';
import { presetById } from '../../shared/presets';
import { fail, ok } from '../../shared/result';
import { RECENT_MODELS_LIMIT, withRecentModel } from '../../shared/settings';
import type { EventBus } from '../session/event-bus';
import { storageFailure } from '../storage/errors';
import type { Repository } from '../storage/repository';
import { isReachable, makeOpenAIClient } from './client';
import type { Connectivity } from './connectivity';
import { classifyProviderError } from './errors';
import { fetchModels } from './models';

/** Where a run goes: the provider and the model's stored pricing. */
export interface RunTarget {
  provider: Provider;
  pricing?: ModelPricing;
}

/** Providers, their model lists and the settings: everything that is not a conversation. */
export class Catalog {
  readonly #repository: Repository;
  readonly #bus: EventBus;
  readonly #connectivity: Connectivity | undefined;

  constructor(repository: Repository, bus: EventBus, connectivity?: Connectivity) {
    this.#repository = repository;
    this.#bus = bus;
    this.#connectivity = connectivity;
  }

  /** Whether the provider new chats use answers (true when none is set up: nothing to reach). */
  async activeProviderReachable(): Promise<boolean> {
    const { activeProviderId } = await this.settings();
    const provider = activeProviderId ? await this.#repository.getProvider(activeProviderId) : undefined;
    return provider ? isReachable(makeOpenAIClient(provider)) : true;
  }

  /** Classify a model-list failure, noting a connection failure as "offline". */
  async #listingFailure(error: unknown, provider: Provider): Promise<{ ok: false; error: ErrorInfo }> {
    const info = await classifyProviderError(error, { provider, listing: true });
    if (info.kind === 'network') this.#connectivity?.report(false);
    return { ok: false, error: info };
  }

  // ── Settings ───────────────────────────────────────────────

  settings(): Promise<Settings> {
    return this.#repository.getSettings();
  }

  async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    const current = await this.#repository.getSettings();
    const settings: Settings = {
      ...current,
      ...patch,
      recentModels: (patch.recentModels ?? current.recentModels).slice(0, RECENT_MODELS_LIMIT),
    };
    await this.#repository.putSettings(settings);
    this.#bus.broadcast({ type: 'settings-change', settings });
    return settings;
  }

  /** Remember a model as the default for new chats and first among the recent ones. */
  async noteModelUsed(providerId: string, modelId: string): Promise<void> {
    if (!providerId || !modelId) return;
    const current = await this.#repository.getSettings();
    const recentModels = withRecentModel(current.recentModels, providerId, modelId);
    const unchanged =
      current.activeProviderId === providerId && current.activeModelId === modelId && current.recentModels[0] === recentModels[0];
    if (unchanged) return;
    await this.updateSettings({ activeProviderId: providerId, activeModelId: modelId, recentModels }).catch(() => {
      // Remembering a preference must never fail a send.
    });
  }

  // ── Providers ──────────────────────────────────────────────

  listProviders(): Promise<Provider[]> {
    return this.#repository.listProviders();
  }

  /** Check the input and turn it into a provider record (without storing it). */
  #validate(input: ProviderInput, existing?: Provider): Result<Provider> {
    const preset = presetById(input.presetId);
    const baseURL = parseBaseUrl(input.baseURL);
    if (!baseURL.ok) return baseURL;
    const apiKey = input.apiKey?.trim() || undefined;
    if (preset.needsKey && !apiKey) return fail('config', `${preset.name} needs an API key. Paste it in the key field.`);
    const provider: Provider = {
      id: existing?.id ?? input.id ?? newId(),
      presetId: preset.id,
      name: input.name.trim() || preset.name,
      baseURL: baseURL.value,
      enabled: input.enabled ?? existing?.enabled ?? true,
      createdAt: existing?.createdAt ?? Date.now(),
    };
    if (apiKey) provider.apiKey = apiKey;
    if (existing?.lastUsed) provider.lastUsed = existing.lastUsed;
    return ok(provider);
  }

  /** Try the endpoint and key by listing models; stores nothing. */
  async testConnection(input: ProviderInput): Promise<Result<ConnectionReport>> {
    const checked = this.#validate(input);
    if (!checked.ok) return checked;
    try {
      const models = await fetchModels(makeOpenAIClient(checked.value), checked.value.id, AbortSignal.timeout(20_000));
      this.#connectivity?.report(true);
      return ok({ modelCount: models.length });
    } catch (error) {
      return this.#listingFailure(error, checked.value);
    }
  }

  /** Create or update a provider, then load its models (a failed load doesn't fail the save). */
  async saveProvider(input: ProviderInput): Promise<Result<Provider>> {
    const existing = input.id ? await this.#repository.getProvider(input.id) : undefined;
    const checked = this.#validate(input, existing);
    if (!checked.ok) return checked;
    const provider = checked.value;
    try {
      await this.#repository.putProvider(provider);
    } catch (error) {
      return storageFailure(error);
    }
    await this.#broadcastProviders();
    const endpointChanged = !existing || existing.baseURL !== provider.baseURL || existing.apiKey !== provider.apiKey;
    const models = endpointChanged ? await this.refreshModels(provider.id) : undefined;
    const settings = await this.settings();
    const activeMissing = !settings.activeProviderId || !(await this.#repository.getProvider(settings.activeProviderId));
    if (activeMissing && provider.enabled) {
      const firstModel = models?.ok ? (models.value[0]?.id ?? null) : null;
      await this.updateSettings({ activeProviderId: provider.id, activeModelId: firstModel });
    }
    return ok(provider);
  }

  async deleteProvider(providerId: string): Promise<Result<void>> {
    try {
      await this.#repository.deleteProvider(providerId);
    } catch (error) {
      return storageFailure(error);
    }
    await this.#broadcastProviders();
    this.#bus.broadcast({ type: 'models-change', providerId, models: [] });
    const settings = await this.settings();
    const recentModels = settings.recentModels.filter((entry) => !entry.startsWith(`${providerId}/`));
    if (settings.activeProviderId === providerId || recentModels.length !== settings.recentModels.length) {
      const fallback = (await this.#repository.listProviders()).find((provider) => provider.enabled);
      const fallbackModel = fallback ? ((await this.#repository.listModels(fallback.id))[0]?.id ?? null) : null;
      const replaceActive = settings.activeProviderId === providerId;
      await this.updateSettings({
        recentModels,
        ...(replaceActive ? { activeProviderId: fallback?.id ?? null, activeModelId: fallbackModel } : {}),
      });
    }
    return ok(undefined);
  }

  async #broadcastProviders(): Promise<void> {
    this.#bus.broadcast({ type: 'providers-change', providers: await this.#repository.listProviders() });
  }

  // ── Models ─────────────────────────────────────────────────

  /** Fetch a provider's models and store them; the stored list stays when the fetch fails. */
  async refreshModels(providerId: string): Promise<Result<Model[]>> {
    const provider = await this.#repository.getProvider(providerId);
    if (!provider) return fail('config', 'That provider no longer exists.');
    let models: Model[];
    try {
      models = await fetchModels(makeOpenAIClient(provider), provider.id, AbortSignal.timeout(20_000));
      this.#connectivity?.report(true);
    } catch (error) {
      return this.#listingFailure(error, provider);
    }
    try {
      await this.#repository.replaceModels(provider.id, models);
    } catch (error) {
      return storageFailure(error);
    }
    this.#bus.broadcast({ type: 'models-change', providerId: provider.id, models });
    return ok(models);
  }

  /** The stored list; fetched first when asked to, or when nothing is stored yet. */
  async listModels(providerId: string, options: { refresh?: boolean } = {}): Promise<Result<Model[]>> {
    const stored = await this.#repository.listModels(providerId);
    if (!options.refresh && stored.length > 0) return ok(stored);
    return this.refreshModels(providerId);
  }

  /** Every stored model of every enabled provider. Works offline. */
  async listAllModels(): Promise<Model[]> {
    const enabled = new Set(
      (await this.#repository.listProviders()).filter((provider) => provider.enabled).map((provider) => provider.id),
    );
    return (await this.#repository.listAllModels()).filter((model) => enabled.has(model.providerId));
  }

  /** Check a conversation can run: a provider that exists and is on, and a model. */
  async resolveTarget(conversation: Conversation): Promise<Result<RunTarget>> {
    const provider = conversation.providerId ? await this.#repository.getProvider(conversation.providerId) : undefined;
    if (!provider) return fail('config', 'No provider is set up for this conversation. Add one in Settings → Providers.');
    if (!provider.enabled)
      return fail('config', `${provider.name} is turned off. Turn it on in Settings → Providers, or pick another model.`);
    if (!conversation.modelId) return fail('config', 'Pick a model for this conversation first.');
    const models = await this.#repository.listModels(provider.id);
    const pricing = models.find((model) => model.id === conversation.modelId)?.pricing;
    return ok(pricing ? { provider, pricing } : { provider });
  }
}
