import OpenAI, { APIError } from 'openai';
import type { FinishReason, Provider, Usage } from '../../shared/protocol';
import { onBytes, watchedFetch } from './byte-watch';
import { firstShape, requestBaseURL, requestBody, shapeAfterRefusal, type ChatRequest, type RequestShape } from './chat-request';
import { ProviderError, providerWords } from './errors';
import { readChunk } from './stream-chunks';
import { makeThinkTagSplitter } from './think-tags';

export type { ChatRequest, ChatTurn, ContentPart, Continuation } from './chat-request';

/** Local servers ignore the key, but the SDK refuses to start without one. */
const PLACEHOLDER_KEY = 'no-key';

/** Default for "no bytes for this long means the stream stalled". */
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;

/**
 * The official SDK, set up for interactive use from a worker. Its `fetch` reports every byte
 * received (`byte-watch.ts`), so keep-alive comments count as life for the stall watchdog.
 */
export function makeOpenAIClient(
  provider: Pick<Provider, 'baseURL' | 'apiKey' | 'presetId'>,
  options: { fetch?: typeof fetch } = {},
): OpenAI {
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
    fetch: watchedFetch(options.fetch ?? ((input, init) => fetch(input, init))),
  });
}

/** One increment from the stream. */
export interface StreamDelta {
  text: string;
  reasoning: string;
}

/** How a stream ended. */
export interface StreamOutcome {
  finishReason: FinishReason;
  /** Absent when the provider reported none (or refused to be asked): the cost is then unknown. */
  usage?: Usage;
  /** USD, when the provider reports it (OpenRouter's `usage.cost`). */
  reportedCost?: number;
}

export interface StreamOptions {
  signal: AbortSignal;
  onDelta: (delta: StreamDelta) => void;
  stallTimeoutMs?: number;
}

/**
 * Stream one reply. Resolves with how it ended; throws the SDK's errors unchanged (the caller
 * classifies them), a `ProviderError` of kind `timeout` when no bytes arrive for
 * `stallTimeoutMs`, `aborted` when `signal` fires, and `malformed-stream` when the stream ends
 * without the provider saying it finished. A request refused with HTTP 400 is sent again without
 * what it may have refused (a prefill, then the usage chunk: `chat-request.ts`), before any text.
 */
export async function streamChat(client: OpenAI, request: ChatRequest, options: StreamOptions): Promise<StreamOutcome> {
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

  let outcome: StreamOutcome | undefined;
  try {
    for (let shape: RequestShape | undefined = firstShape(request); shape;) {
      feedWatchdog();
      try {
        outcome = await streamOnce(
          client,
          request,
          shape,
          { ...options, signal: controller.signal, stallTimeoutMs },
          feedWatchdog,
        );
        break;
      } catch (error) {
        const refused = error instanceof APIError && error.status === 400;
        const next: RequestShape | undefined = refused
          ? shapeAfterRefusal(shape, `${providerWords(error)} ${error.message}`)
          : undefined;
        if (!next) throw error;
        shape = next;
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
  if (!outcome) {
    throw new ProviderError({
      kind: 'malformed-stream',
      retryable: true,
      message: 'The reply ended before the provider said it was finished. What arrived is kept; Resume continues it.',
    });
  }
  return outcome;
}

/** One request in one shape; resolves undefined when the stream ends without a finish. */
async function streamOnce(
  client: OpenAI,
  request: ChatRequest,
  shape: RequestShape,
  options: StreamOptions & { stallTimeoutMs: number },
  feedWatchdog: () => void,
): Promise<StreamOutcome | undefined> {
  const baseURL = requestBaseURL(request, shape);
  const target = baseURL ? client.withOptions({ baseURL }) : client;
  const { data: stream, response } = await target.chat.completions
    .create(requestBody(request, shape), { signal: options.signal, timeout: options.stallTimeoutMs })
    .withResponse();
  const stopWatching = onBytes(response, feedWatchdog);
  const thinkTags = makeThinkTagSplitter();
  const deliver = (text: string, reasoning: string) => {
    if (text || reasoning) options.onDelta({ text, reasoning });
  };
  const outcome: StreamOutcome = { finishReason: null };
  let finished = false;
  try {
    for await (const chunk of stream) {
      feedWatchdog();
      const reading = readChunk(chunk);
      const content = thinkTags.push(reading.content);
      deliver(content.text, reading.reasoning + content.reasoning);
      if (reading.finishReason) {
        finished = true;
        outcome.finishReason = reading.finishReason;
      }
      if (reading.usage) outcome.usage = reading.usage;
      if (reading.reportedCost !== undefined) outcome.reportedCost = reading.reportedCost;
    }
  } finally {
    stopWatching();
    const rest = thinkTags.end();
    deliver(rest.text, rest.reasoning);
  }
  return finished ? outcome : undefined;
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
