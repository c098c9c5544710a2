import type { Conversation, Model, Provider, Settings } from '../../shared/protocol';
import type { UiClient } from './app-store';

/** Conversations the first screen shows: the sidebar's first page. The rest follow it. */
export const FIRST_CONVERSATIONS = 100;

/** What the first screen needs from the core, asked for together. */
export interface StartData {
  /** The newest `FIRST_CONVERSATIONS`. */
  conversations: Promise<Conversation[]>;
  providers: Promise<Provider[]>;
  models: Promise<Model[]>;
  settings: Promise<Settings>;
  offline: Promise<boolean>;
}

/**
 * Asks for the start data. The page's entry (src/boot.ts) calls it as soon as the tab is
 * attached, so the answers come while the UI's code is still loading.
 */
export function requestStartData(api: UiClient['api']): StartData {
  return {
    conversations: api.listConversations(FIRST_CONVERSATIONS),
    providers: api.listProviders(),
    models: api.listAllModels(),
    settings: api.getSettings(),
    offline: api.isOffline(),
  };
}
