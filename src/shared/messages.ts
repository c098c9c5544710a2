import type { Message } from './protocol';

/**
 * Whether a reply can be continued in place: it was stopped, interrupted, failed, or cut by the
 * length limit. One rule for the core (which refuses the rest) and the tab (which shows Resume).
 * A row still `streaming` counts only when no run holds it — a reply whose final save failed, or
 * whose core died — so callers that know a run is going check that first.
 */
export function isResumable(message: Pick<Message, 'role' | 'status' | 'finishReason'>): boolean {
  if (message.role !== 'assistant') return false;
  switch (message.status) {
    case 'stopped':
    case 'interrupted':
    case 'error':
    case 'streaming':
      return true;
    case 'complete':
      return message.finishReason === 'length';
  }
}
