import type { PresetId } from './protocol';

/**
 * How Resume asks a provider for the rest of a reply it cut off:
 * - `prefill`: the partial goes back as the last assistant message, which the provider continues
 *   (documented by the provider);
 * - `prefix-flag`: the same, marked `prefix: true` (DeepSeek's beta endpoint);
 * - `instruction`: after the partial, a user turn asks to go on exactly where it stopped — works
 *   everywhere, so it is the default for providers that document no prefill.
 * Whatever the style, the run removes what the continuation repeats (`overlap-filter.ts`), and a
 * provider that rejects a prefill (HTTP 400) is asked again with the instruction.
 */
export const RESUME_STYLES = ['prefill', 'prefix-flag', 'instruction'] as const;

/** One of {@link RESUME_STYLES}. */
export type ResumeStyle = (typeof RESUME_STYLES)[number];

/**
 * Where a provider's reasoning usually arrives. Every shape is read from every provider; this is
 * what a person can expect (the README's table is checked against it).
 */
export const REASONING_SHAPES = ['reasoning', 'reasoning_content', 'think-tags', 'hidden'] as const;

/** One of {@link REASONING_SHAPES}. */
export type ReasoningShape = (typeof REASONING_SHAPES)[number];

/** What Parley knows of a provider's behaviour, beyond its address. */
export interface ProviderCapabilities {
  resume: ResumeStyle;
  /**
   * Where a `prefix-flag` continuation goes when the provider uses the preset's own address
   * (DeepSeek serves the flag only on its beta endpoint).
   */
  continuationBaseURL?: string;
  reasoning: readonly ReasoningShape[];
}

/** A server that runs on the user's machine: its default port and how it lets a web page in. */
export interface LocalServerSetup {
  port: number;
  /**
   * The server's own setting that allows requests from a page at `origin` (browsers refuse the
   * answer otherwise), as a sentence with the exact value to use.
   */
  allowOrigin(origin: string): string;
}

/** A built-in provider template: where it lives and whether it needs a key. */
export interface ProviderPreset {
  id: PresetId;
  name: string;
  baseURL: string;
  /** Local servers (Ollama, LM Studio, llama.cpp) run without a key. */
  needsKey: boolean;
  /** Where a person gets a key, shown beside the key field. */
  keyURL?: string;
  capabilities: ProviderCapabilities;
  /** Present for servers on the user's machine (the local presets). */
  local?: LocalServerSetup;
}

/** Every preset, in the order the provider form lists them. */
export const PRESETS: readonly ProviderPreset[] = [
  {
    id: 'openai',
    name: 'OpenAI',
    baseURL: 'https://api.openai.com/v1',
    needsKey: true,
    keyURL: 'https://platform.openai.com/api-keys',
    capabilities: { resume: 'instruction', reasoning: ['hidden'] },
  },
  {
    id: 'openrouter',
    name: 'OpenRouter',
    baseURL: 'https://openrouter.ai/api/v1',
    needsKey: true,
    keyURL: 'https://openrouter.ai/keys',
    capabilities: { resume: 'prefill', reasoning: ['reasoning'] },
  },
  {
    id: 'ppq',
    name: 'PPQ',
    baseURL: 'https://api.ppq.ai',
    needsKey: true,
    keyURL: 'https://ppq.ai/api-docs',
    capabilities: { resume: 'instruction', reasoning: ['reasoning'] },
  },
  {
    id: 'anthropic',
    name: 'Anthropic',
    baseURL: 'https://api.anthropic.com/v1',
    needsKey: true,
    keyURL: 'https://console.anthropic.com/settings/keys',
    capabilities: { resume: 'instruction', reasoning: ['hidden'] },
  },
  {
    id: 'deepseek',
    name: 'DeepSeek',
    baseURL: 'https://api.deepseek.com/v1',
    needsKey: true,
    keyURL: 'https://platform.deepseek.com/api_keys',
    capabilities: {
      resume: 'prefix-flag',
      continuationBaseURL: 'https://api.deepseek.com/beta',
      reasoning: ['reasoning_content'],
    },
  },
  {
    id: 'groq',
    name: 'Groq',
    baseURL: 'https://api.groq.com/openai/v1',
    needsKey: true,
    keyURL: 'https://console.groq.com/keys',
    capabilities: { resume: 'prefill', reasoning: ['reasoning', 'think-tags'] },
  },
  {
    id: 'together',
    name: 'Together AI',
    baseURL: 'https://api.together.xyz/v1',
    needsKey: true,
    keyURL: 'https://api.together.ai/settings/api-keys',
    capabilities: { resume: 'instruction', reasoning: ['think-tags', 'reasoning'] },
  },
  {
    id: 'fireworks',
    name: 'Fireworks',
    baseURL: 'https://api.fireworks.ai/inference/v1',
    needsKey: true,
    keyURL: 'https://fireworks.ai/account/api-keys',
    capabilities: { resume: 'instruction', reasoning: ['think-tags', 'reasoning_content'] },
  },
  {
    id: 'xai',
    name: 'xAI',
    baseURL: 'https://api.x.ai/v1',
    needsKey: true,
    keyURL: 'https://console.x.ai',
    capabilities: { resume: 'instruction', reasoning: ['reasoning_content'] },
  },
  {
    id: 'ollama',
    name: 'Ollama',
    baseURL: 'http://localhost:11434/v1',
    needsKey: false,
    capabilities: { resume: 'prefill', reasoning: ['reasoning', 'think-tags'] },
    local: {
      port: 11434,
      // Ollama trusts localhost pages by default; any other origin must be listed.
      allowOrigin: (origin) =>
        `Ollama answers only the web pages listed in its OLLAMA_ORIGINS setting: set OLLAMA_ORIGINS=${origin} and restart Ollama (in a terminal: OLLAMA_ORIGINS=${origin} ollama serve; on macOS: launchctl setenv OLLAMA_ORIGINS ${origin}, then quit and reopen Ollama).`,
    },
  },
  {
    id: 'lmstudio',
    name: 'LM Studio',
    baseURL: 'http://localhost:1234/v1',
    needsKey: false,
    capabilities: { resume: 'instruction', reasoning: ['reasoning_content', 'think-tags'] },
    local: {
      port: 1234,
      // LM Studio's switch is all or nothing: on, it answers every origin, this one included.
      allowOrigin: (origin) =>
        `LM Studio answers web pages (such as ${origin}) only with “Enable CORS” turned on: switch it on in the Developer tab's server settings, or start the server with: lms server start --cors`,
    },
  },
  {
    id: 'llamacpp',
    name: 'llama.cpp server',
    baseURL: 'http://localhost:8080/v1',
    needsKey: false,
    capabilities: { resume: 'prefill', reasoning: ['reasoning_content', 'think-tags'] },
    local: {
      port: 8080,
      allowOrigin: (origin) =>
        `llama-server answers only the web pages its --cors-origins flag allows: start it with --cors-origins ${origin} added to its options (with --tools or --agent it otherwise allows only localhost pages).`,
    },
  },
  // Anything: the instruction works on every server, so it is the safe way to resume.
  { id: 'custom', name: 'Custom', baseURL: '', needsKey: false, capabilities: { resume: 'instruction', reasoning: [] } },
];

/** The preset with this id (falls back to `custom` for ids from a newer build). */
export function presetById(id: string): ProviderPreset {
  return PRESETS.find((preset) => preset.id === id) ?? PRESETS[PRESETS.length - 1];
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0']);

/** For a custom server on this machine: the one setting every such server has. */
const CUSTOM_LOCAL_SERVER: Omit<LocalServerSetup, 'port'> = {
  allowOrigin: (origin) =>
    `A server on this machine must allow requests from ${origin} in its CORS settings (it must answer with Access-Control-Allow-Origin: ${origin}).`,
};

/**
 * How the server at `baseURL` lets a web page in, when it runs on the user's machine: the local
 * presets' own setting, or the generic one for a custom address on localhost. Undefined for
 * servers elsewhere.
 */
export function localServerSetup(presetId: string, baseURL: string): Pick<LocalServerSetup, 'allowOrigin'> | undefined {
  const preset = presetById(presetId);
  if (preset.local) return preset.local;
  if (preset.id !== 'custom') return undefined;
  try {
    const host = new URL(baseURL).hostname;
    return LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost') ? CUSTOM_LOCAL_SERVER : undefined;
  } catch {
    return undefined;
  }
}
