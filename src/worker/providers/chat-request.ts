import type OpenAI from 'openai';
import { presetById, type ResumeStyle } from '../../shared/presets';
import type { Provider } from '../../shared/protocol';

/** A chat message as the provider receives it. */
export type ChatTurn =
  | { role: 'system' | 'assistant'; content: string }
  /** A user turn with files is a list of parts: its text, then each image and text file. */
  | { role: 'user'; content: string | ContentPart[] };

/** One part of a user turn, in the shape the chat completions API takes. */
export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

/** Resume: the reply so far, and how this provider is asked for the rest. */
export interface Continuation {
  partial: string;
  style: ResumeStyle;
  /** Another address for the continuation (DeepSeek's beta endpoint for the prefix flag). */
  baseURL?: string;
}

/** One request for a reply: the conversation up to it, and, on resume, the partial reply. */
export interface ChatRequest {
  model: string;
  turns: ChatTurn[];
  continuation?: Continuation;
}

/**
 * The parts of a request a provider may refuse (HTTP 400) and Parley can do without: the way a
 * continuation is asked for, and the usage chunk. Each is given up at most once.
 */
export interface RequestShape {
  /** How the continuation is asked for; null for a fresh reply. */
  style: ResumeStyle | null;
  /** `stream_options.include_usage`: without it no usage arrives, so the cost is unknown. */
  includeUsage: boolean;
}

/** The user turn that asks for the rest of a cut-off reply (the `instruction` style). */
export const CONTINUE_INSTRUCTION =
  'Your last message was cut off. Continue it from exactly where it stopped: do not repeat any of it, add no introduction, and begin with the very next characters.';

/** The host of a URL, or '' when it is not one. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/**
 * How to resume `partial` on this provider: its preset's way (`ProviderCapabilities.resume`),
 * and its continuation address when the provider is the preset's own host (a proxy in front of
 * DeepSeek keeps its address). Nothing to continue without text: the reply is asked afresh.
 */
export function continuationFor(provider: Pick<Provider, 'presetId' | 'baseURL'>, partial: string): Continuation | undefined {
  if (!partial.trim()) return undefined;
  const preset = presetById(provider.presetId);
  const { resume, continuationBaseURL } = preset.capabilities;
  const ownHost = hostOf(provider.baseURL) === hostOf(preset.baseURL);
  return { partial, style: resume, ...(continuationBaseURL && ownHost ? { baseURL: continuationBaseURL } : {}) };
}

/** The first attempt asks for everything. */
export function firstShape(request: ChatRequest): RequestShape {
  return { style: request.continuation?.style ?? null, includeUsage: true };
}

/** Where the request goes: the continuation's own address only while the prefix flag is used. */
export function requestBaseURL(request: ChatRequest, shape: RequestShape): string | undefined {
  return shape.style === 'prefix-flag' ? request.continuation?.baseURL : undefined;
}

/** The request body for this shape. */
export function requestBody(
  request: ChatRequest,
  shape: RequestShape,
): OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming {
  const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [...request.turns];
  const continuation = request.continuation;
  if (continuation && shape.style) {
    // Sent without trailing whitespace: some providers refuse an assistant turn that ends in it,
    // and the model's next token carries its own (the overlap filter fits the seam).
    const partial = continuation.partial.trimEnd();
    if (shape.style === 'prefix-flag') {
      const prefixed = { role: 'assistant' as const, content: partial, prefix: true };
      messages.push(prefixed);
    } else {
      messages.push({ role: 'assistant', content: partial });
      if (shape.style === 'instruction') messages.push({ role: 'user', content: CONTINUE_INSTRUCTION });
    }
  }
  return {
    model: request.model,
    messages,
    stream: true,
    ...(shape.includeUsage ? { stream_options: { include_usage: true } } : {}),
  };
}

/**
 * After a 400 to `shape`, the shape to try instead, or undefined when nothing is left to give up
 * (the 400 is then the answer). What the provider's words name goes first; otherwise a prefill
 * (the part of a resume a provider is likeliest to refuse), then the usage chunk.
 */
export function shapeAfterRefusal(shape: RequestShape, providerWords: string): RequestShape | undefined {
  const prefilled = shape.style === 'prefill' || shape.style === 'prefix-flag';
  if (shape.includeUsage && /stream_options|include_usage/i.test(providerWords)) return { ...shape, includeUsage: false };
  if (prefilled) return { ...shape, style: 'instruction' };
  if (shape.includeUsage) return { ...shape, includeUsage: false };
  return undefined;
}
