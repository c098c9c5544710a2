import OpenAI, { APIError } from 'openai';
import type { FinishReason, Provider, Usage } from '../../shared/protocol';
import { ProviderError } from './errors';

/** Local servers ignore the key, but the SDK refuses to start without one. */
const PLACEHOLDER_KEY = 'no-key';

/** Default for "no bytes for this long means the stream stalled". */
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;

/** The official SDK, set up for interactive use from a worker. */
export function makeOpenAIClient(provider: Pick<Provider, 'baseURL' | 'apiKey' | 'presetId'>): OpenAI {
  const headers: Record<string, string> = {};
  if (provider.presetId === 'openrouter') {
    // OpenRouter attributes traffic to apps by these; harmless elsewhere, so only sent there.
    headers['HTTP-Referer'] = typeof location === 'undefined' ? 'https://parley.app' : location.origin;
    headers['X-Title'] = 'Parley';
  }
  return new OpenAI({
    apiKey: provider.apiKey || PLACEHOLDER_KEY,
    baseURL: provider.baseURL.replace(/\/+$/, ''),
    // The run decides about retries itself (visible to the user); the SDK's would be silent.
    maxRetries: 0,
    dangerouslyAllowBrowser: true,
    defaultHeaders: headers,
    // The SDK's logger could print request details; Parley reports errors itself.
    logLevel: 'off',
  });
}

/** A chat message as the provider receives it. */
export type ChatTurn =
  | { role: 'system' | 'assistant'; content: string }
  /** A user turn with files is a list of parts: its text, then each image and text file. */
  | { role: 'user'; content: string | ContentPart[] };

/** One part of a user turn, in the shape the chat completions API takes. */
export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

/** One text increment from the stream. */
export interface StreamDelta {
  text: string;
  reasoning: string;
}

/** How a stream ended. */
export interface StreamOutcome {
  finishReason: FinishReason;
  usage?: Usage;
  /** USD, when the provider reports it (OpenRouter's `usage.cost`). */
  reportedCost?: number;
}

export interface StreamOptions {
  signal: AbortSignal;
  onDelta: (delta: StreamDelta) => void;
  stallTimeoutMs?: number;
}

/** Fields some providers add to the SDK's chunk types. */
interface ExtendedDelta {
  content?: string | null;
  reasoning?: string | null;
  reasoning_content?: string | null;
}

const FINISH_REASONS = new Set(['stop', 'length', 'content_filter', 'tool_calls']);

/**
 * Stream one reply. Resolves with how it ended; throws the SDK's errors unchanged (the caller
 * classifies them), a `ProviderError` of kind `timeout` when no bytes arrive for
 * `stallTimeoutMs`, `aborted` when `signal` fires, and `malformed-stream` when the stream ends
 * without the provider saying it finished.
 */
export async function streamChat(
  client: OpenAI,
  model: string,
  messages: ChatTurn[],
  options: StreamOptions,
): Promise<StreamOutcome> {
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal.addEventListener('abort', abort, { once: true });
  let stalled = false;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const feedWatchdog = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, stallTimeoutMs);
  };

  const outcome: StreamOutcome = { finishReason: null };
  let sawFinish = false;
  try {
    feedWatchdog();
    const stream = await client.chat.completions.create(
      { model, messages, stream: true, stream_options: { include_usage: true } },
      { signal: controller.signal, timeout: stallTimeoutMs },
    );
    for await (const chunk of stream) {
      feedWatchdog();
      const choice = chunk.choices[0];
      if (choice) {
        const delta = choice.delta as ExtendedDelta;
        const text = delta.content ?? '';
        const reasoning = delta.reasoning ?? delta.reasoning_content ?? '';
        if (text || reasoning) options.onDelta({ text, reasoning });
        if (choice.finish_reason) {
          sawFinish = true;
          outcome.finishReason = FINISH_REASONS.has(choice.finish_reason) ? (choice.finish_reason as FinishReason) : 'stop';
        }
      }
      if (chunk.usage) {
        outcome.usage = { promptTokens: chunk.usage.prompt_tokens ?? 0, completionTokens: chunk.usage.completion_tokens ?? 0 };
        const cost = (chunk.usage as { cost?: unknown }).cost;
        if (typeof cost === 'number') outcome.reportedCost = cost;
      }
    }
  } catch (error) {
    if (!stalled && !options.signal.aborted) throw error;
  } finally {
    clearTimeout(watchdog);
    options.signal.removeEventListener('abort', abort);
  }
  // After abort() the SDK's iterator simply ends: only the signals tell a stop from a finish.
  if (options.signal.aborted) {
    throw new ProviderError({ kind: 'aborted', retryable: false, message: 'The reply was stopped.' });
  }
  if (stalled) {
    throw new ProviderError({
      kind: 'timeout',
      retryable: true,
      message: `The provider sent nothing for ${Math.round(stallTimeoutMs / 1000)} s, so Parley stopped waiting. What arrived is kept; Resume continues it.`,
    });
  }
  if (!sawFinish) {
    throw new ProviderError({
      kind: 'malformed-stream',
      retryable: true,
      message: 'The reply ended before the provider said it was finished. What arrived is kept; Resume continues it.',
    });
  }
  return outcome;
}

/**
 * Whether the provider answers at all: any HTTP response counts (even 401 or 404), only a
 * failed connection does not.
 */
export async function isReachable(client: OpenAI, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.models.list({ signal, timeout: 5000 });
    return true;
  } catch (error) {
    return error instanceof APIError && error.status !== undefined;
  }
}
