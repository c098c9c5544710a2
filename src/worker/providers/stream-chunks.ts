/**
 * One streamed chunk, whatever shape the provider gave it: reasoning as `reasoning_content` or
 * `reasoning`, usage in a last `choices: []` chunk (with OpenRouter's `cost`), and the ways a
 * provider says it failed mid-stream — an `error` object on the chunk or its choice,
 * `finish_reason: "error"`, or an `event: error` whose data has no choices at all.
 */
import type { FinishReason, Usage } from '../../shared/protocol';
import { StreamFailure } from './errors';

/** What one chunk carries. */
export interface ChunkReading {
  /** Answer text as sent (a `<think>` block inside it is split out later). */
  content: string;
  reasoning: string;
  /** Set when the provider said the reply ended. */
  finishReason?: FinishReason;
  usage?: Usage;
  /** USD, when the provider reports it (OpenRouter's `usage.cost`). */
  reportedCost?: number;
}

/** Fields some providers add to the SDK's chunk types. */
interface LooseChunk {
  choices?: Array<{
    delta?: { content?: string | null; reasoning?: string | null; reasoning_content?: string | null } | null;
    finish_reason?: string | null;
    error?: unknown;
  }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; cost?: unknown } | null;
  error?: unknown;
  message?: unknown;
  type?: unknown;
}

const FINISH_REASONS = new Set(['stop', 'length', 'content_filter', 'tool_calls']);

/** The provider's words from an error value (an object with a message, or a string). */
function errorWords(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'message' in value && typeof value.message === 'string') return value.message;
  return '';
}

/** Read one chunk; throws a `StreamFailure` when it says the reply failed. */
export function readChunk(raw: unknown): ChunkReading {
  const chunk = (raw ?? {}) as LooseChunk;
  const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
  if (chunk.error) throw new StreamFailure(errorWords(chunk.error));
  if (choice?.error) throw new StreamFailure(errorWords(choice.error));
  if (choice?.finish_reason === 'error') throw new StreamFailure('');
  // `event: error` reaches us as its bare data: no choices, no usage, but words.
  if (!Array.isArray(chunk.choices) && !chunk.usage && (chunk.type === 'error' || typeof chunk.message === 'string')) {
    throw new StreamFailure(errorWords(chunk));
  }
  const reading: ChunkReading = {
    content: choice?.delta?.content ?? '',
    reasoning: choice?.delta?.reasoning ?? choice?.delta?.reasoning_content ?? '',
  };
  if (choice?.finish_reason) {
    reading.finishReason = FINISH_REASONS.has(choice.finish_reason) ? (choice.finish_reason as FinishReason) : 'stop';
  }
  if (chunk.usage) {
    reading.usage = { promptTokens: chunk.usage.prompt_tokens ?? 0, completionTokens: chunk.usage.completion_tokens ?? 0 };
    if (typeof chunk.usage.cost === 'number') reading.reportedCost = chunk.usage.cost;
  }
  return reading;
}
