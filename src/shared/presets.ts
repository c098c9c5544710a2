import type { PresetId } from './protocol';

/** A built-in provider template: where it lives and whether it needs a key. */
export interface ProviderPreset {
  id: PresetId;
  name: string;
  baseURL: string;
  /** Local servers (Ollama, LM Studio, llama.cpp) run without a key. */
  needsKey: boolean;
  /** Where a person gets a key, shown beside the key field. */
  keyURL?: string;
}

/** Every preset, in the order the provider form lists them. */
export const PRESETS: readonly ProviderPreset[] = [
  {
    id: 'openai',
    name: 'OpenAI',
    baseURL: 'https://api.openai.com/v1',
    needsKey: true,
    keyURL: 'https://platform.openai.com/api-keys',
  },
  {
    id: 'openrouter',
    name: 'OpenRouter',
    baseURL: 'https://openrouter.ai/api/v1',
    needsKey: true,
    keyURL: 'https://openrouter.ai/keys',
  },
  { id: 'ppq', name: 'PPQ', baseURL: 'https://api.ppq.ai', needsKey: true, keyURL: 'https://ppq.ai/api-docs' },
  {
    id: 'anthropic',
    name: 'Anthropic',
    baseURL: 'https://api.anthropic.com/v1',
    needsKey: true,
    keyURL: 'https://console.anthropic.com/settings/keys',
  },
  {
    id: 'deepseek',
    name: 'DeepSeek',
    baseURL: 'https://api.deepseek.com/v1',
    needsKey: true,
    keyURL: 'https://platform.deepseek.com/api_keys',
  },
  {
    id: 'groq',
    name: 'Groq',
    baseURL: 'https://api.groq.com/openai/v1',
    needsKey: true,
    keyURL: 'https://console.groq.com/keys',
  },
  {
    id: 'together',
    name: 'Together AI',
    baseURL: 'https://api.together.xyz/v1',
    needsKey: true,
    keyURL: 'https://api.together.ai/settings/api-keys',
  },
  {
    id: 'fireworks',
    name: 'Fireworks',
    baseURL: 'https://api.fireworks.ai/inference/v1',
    needsKey: true,
    keyURL: 'https://fireworks.ai/account/api-keys',
  },
  { id: 'xai', name: 'xAI', baseURL: 'https://api.x.ai/v1', needsKey: true, keyURL: 'https://console.x.ai' },
  { id: 'ollama', name: 'Ollama', baseURL: 'http://localhost:11434/v1', needsKey: false },
  { id: 'lmstudio', name: 'LM Studio', baseURL: 'http://localhost:1234/v1', needsKey: false },
  { id: 'llamacpp', name: 'llama.cpp server', baseURL: 'http://localhost:8080/v1', needsKey: false },
  { id: 'custom', name: 'Custom', baseURL: '', needsKey: false },
];

/** The preset with this id (falls back to `custom` for ids from a newer build). */
export function presetById(id: string): ProviderPreset {
  return PRESETS.find((preset) => preset.id === id) ?? PRESETS[PRESETS.length - 1];
}
