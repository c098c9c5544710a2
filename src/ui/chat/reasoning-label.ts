import type { Message } from '../../shared/protocol';

/** "12 s", "1 min 5 s": how long a model thought, rounded to the second (at least 1 s). */
export function formatThinkingTime(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/**
 * The collapsed reasoning's summary: "Thinking…" while it reasons, "Thought for 12 s" once the
 * answer started (or the reply ended), "Reasoning" for replies stored before the time was kept.
 */
export function reasoningLabel(message: Pick<Message, 'reasoningMs' | 'status'>): string {
  if (message.reasoningMs !== undefined) return `Thought for ${formatThinkingTime(message.reasoningMs)}`;
  return message.status === 'streaming' ? 'Thinking…' : 'Reasoning';
}
