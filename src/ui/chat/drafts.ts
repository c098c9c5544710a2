/**
 * Unsent text per conversation, kept in localStorage so it survives switching conversations
 * and reloads. A UI preference, not history: it never reaches the core.
 */
const PREFIX = 'parley:draft:';

export function readDraft(conversationId: string): string {
  try {
    return localStorage.getItem(PREFIX + conversationId) ?? '';
  } catch {
    return '';
  }
}

export function writeDraft(conversationId: string, text: string): void {
  try {
    if (text) localStorage.setItem(PREFIX + conversationId, text);
    else localStorage.removeItem(PREFIX + conversationId);
  } catch {
    // Storage full or blocked: the text is still in the composer.
  }
}
