import { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { localServerSetup } from '../../shared/presets';
import type { ErrorInfo, Provider } from '../../shared/protocol';

/** A provider failure already classified for people; thrown inside the worker, sent as data. */
export class ProviderError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = 'ProviderError';
  }
}

/**
 * The provider said, inside a stream that had started fine, that the reply failed (an error
 * object on a chunk, `finish_reason: "error"`, an `event: error`).
 */
export class StreamFailure extends Error {
  constructor(readonly words: string) {
    super(words || 'The provider reported an error mid-reply.');
    this.name = 'StreamFailure';
  }
}

/** What the classifier needs to know about where the failure happened. */
export interface FailureContext {
  provider: Pick<Provider, 'name' | 'baseURL' | 'apiKey' | 'presetId'>;
  model?: string;
  /** Text had already arrived: a broken connection then means "dropped mid-reply". */
  receivedText?: boolean;
  /** The request was for the model list rather than a reply. */
  listing?: boolean;
  /** Where Parley runs (the worker's `location.origin`): a local server must allow it. */
  appOrigin?: string;
}

/** Remove the key from any text that might reach a person or a log. */
export function redactKey(text: string, apiKey: string | undefined): string {
  return apiKey && apiKey.length >= 4 ? text.split(apiKey).join('••••') : text;
}

/** `retry-after` (seconds or an HTTP date) or `retry-after-ms`, in milliseconds. */
export function parseRetryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
  const milliseconds = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(milliseconds) && milliseconds > 0) return milliseconds;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * The provider's own words about a failure, as sent: an error body's message (or the body itself
 * when it is a string), else the SDK's message. For matching; `shownWords` is what people see.
 */
export function providerWords(error: unknown): string {
  if (error instanceof StreamFailure) return error.words;
  if (!(error instanceof APIError)) return '';
  const body: unknown = error.error;
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  return '';
}

/** The provider's words shortened for a message, with the key removed. */
function shownWords(error: unknown, apiKey: string | undefined): string {
  const clean = redactKey(providerWords(error).replace(/\s+/g, ' ').trim(), apiKey);
  return clean.length > 200 ? `${clean.slice(0, 197)}…` : clean;
}

function quoted(words: string): string {
  return words ? ` It said: “${words}”` : '';
}

/** The provider said the reply failed, inside a stream: never a finished reply. */
function midStreamFailure(name: string, words: string, context: FailureContext): ErrorInfo {
  const next = context.receivedText ? ' What arrived is kept; Resume continues it.' : ' Try again in a moment.';
  return {
    kind: 'server',
    retryable: true,
    message: `${name} reported an error in the middle of the reply.${quoted(words)}${next}`,
  };
}

/** Classify an HTTP error response from a provider. */
function classifyHttp(error: APIError, context: FailureContext): ErrorInfo {
  const { name, apiKey } = context.provider;
  const status = error.status;
  const words = shownWords(error, apiKey);
  const base = { httpStatus: status };
  if (status === 401) {
    return {
      ...base,
      kind: 'auth',
      retryable: false,
      message: `${name} rejected the API key. Check the key in Settings → Providers.`,
    };
  }
  if (status === 403) {
    return {
      ...base,
      kind: 'auth',
      retryable: false,
      message: `${name} refused access with this key.${quoted(words)} Check the key and its permissions in Settings → Providers.`,
    };
  }
  if (status === 402) {
    return {
      ...base,
      kind: 'billing',
      retryable: false,
      message: `${name} says the account has run out of credit.${quoted(words)} Add credit with ${name}, then try again.`,
    };
  }
  if (status === 404) {
    return context.listing
      ? {
          ...base,
          kind: 'not-found',
          retryable: false,
          message: `${name} has no model list at ${context.provider.baseURL}. Check the base URL in Settings → Providers.`,
        }
      : {
          ...base,
          kind: 'not-found',
          retryable: false,
          message: `${name} doesn't offer the model “${context.model ?? 'unknown'}”. Pick another model.`,
        };
  }
  if (status === 429) {
    return {
      ...base,
      kind: 'rate-limit',
      retryable: true,
      retryAfterMs: parseRetryAfter(error.headers),
      message: `${name} is limiting requests right now (rate limit). Wait a moment, then try again.`,
    };
  }
  if (status !== undefined && status >= 500) {
    return {
      ...base,
      kind: 'server',
      retryable: true,
      message: `${name} had a server error (HTTP ${status}).${quoted(words)} Try again in a moment.`,
    };
  }
  // An error object inside a 200 stream ("data: {error: …}"), which the SDK throws itself.
  if (status === undefined) return midStreamFailure(name, words, context);
  return { ...base, kind: 'config', retryable: false, message: `${name} rejected the request (HTTP ${status}).${quoted(words)}` };
}

/**
 * Turn anything a provider call threw into an `ErrorInfo` a person can act on.
 * `reachable` answers whether the provider's host answers at all, used to tell CORS from a
 * network failure (browsers report both as the same bare `TypeError`).
 */
export async function classifyProviderError(
  error: unknown,
  context: FailureContext,
  reachable: (baseURL: string) => Promise<boolean> = probeReachable,
): Promise<ErrorInfo> {
  const { name, baseURL } = context.provider;
  if (error instanceof ProviderError) return error.info;
  if (error instanceof APIUserAbortError || (error instanceof Error && error.name === 'AbortError')) {
    return { kind: 'aborted', retryable: false, message: 'The reply was stopped.' };
  }
  if (error instanceof APIConnectionTimeoutError) {
    return {
      kind: 'timeout',
      retryable: true,
      message: `${name} did not answer in time. Try again, or check that the server is running.`,
    };
  }
  if (error instanceof SyntaxError) {
    return {
      kind: 'malformed-stream',
      retryable: false,
      message: `${name} sent data Parley couldn't read (a malformed stream). What arrived before it is kept.`,
    };
  }
  if (error instanceof StreamFailure) return midStreamFailure(name, shownWords(error, context.provider.apiKey), context);
  if (error instanceof APIError && error.status !== undefined) return classifyHttp(error, context);
  if (error instanceof APIError && error.error !== undefined) return classifyHttp(error, context);
  // A connection that broke: APIConnectionError before the response, a bare TypeError mid-body.
  if (context.receivedText) {
    return {
      kind: 'network',
      retryable: true,
      message: `The connection to ${name} dropped mid-reply. What arrived is kept; Resume continues it.`,
    };
  }
  // On this machine the fix is the server's own setting, with the value for this origin.
  const local = localServerSetup(context.provider.presetId, baseURL);
  const allowOrigin = local?.allowOrigin(context.appOrigin ?? appOrigin());
  if (await reachable(baseURL)) {
    return {
      kind: 'cors',
      retryable: false,
      message: allowOrigin
        ? `${name} is running but refused this page (CORS). ${allowOrigin}`
        : `${name} does not allow requests from a browser (CORS). Use a provider that does, such as OpenRouter, or put a proxy that adds CORS headers in front of ${baseURL}.`,
    };
  }
  return {
    kind: 'network',
    retryable: true,
    message: allowOrigin
      ? `Couldn't reach ${name} at ${baseURL}. Check that it is running on this machine. If it is, it may be refusing this page: ${allowOrigin}`
      : `Couldn't reach ${name} at ${baseURL}. Check your connection, that the server is running, and the base URL.`,
  };
}

/** The origin Parley runs on, as the worker sees it. */
function appOrigin(): string {
  const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  return typeof origin === 'string' ? origin : 'this app’s address';
}

/**
 * Whether the host answers at all. A `no-cors` request succeeds (with an opaque response) when
 * the server is up even if it sends no CORS headers, so success after a failed CORS request
 * means CORS was the problem. Outside a browser there is no CORS: always false.
 */
export async function probeReachable(baseURL: string): Promise<boolean> {
  if (typeof (globalThis as { location?: unknown }).location === 'undefined') return false;
  try {
    await fetch(baseURL, { mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(5000) });
    return true;
  } catch {
    return false;
  }
}
