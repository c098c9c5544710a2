/** The title a conversation has until its first message names it. */
export const NEW_CHAT_TITLE = 'New chat';

const MAX_TITLE_LENGTH = 60;

/**
 * A conversation title from its first message: the first non-empty line, at most 60
 * characters, cut on a word boundary (with an ellipsis) when longer.
 */
export function titleFromMessage(text: string): string {
  const line =
    text
      .split('\n')
      .map((part) => part.trim())
      .find(Boolean) ?? '';
  const collapsed = line.replace(/\s+/g, ' ');
  if (!collapsed) return NEW_CHAT_TITLE;
  if (collapsed.length <= MAX_TITLE_LENGTH) return collapsed;
  const cut = collapsed.slice(0, MAX_TITLE_LENGTH - 1);
  const lastSpace = cut.lastIndexOf(' ');
  // A single very long word is cut mid-word rather than leaving nothing.
  const wordCut = lastSpace > MAX_TITLE_LENGTH / 3 ? cut.slice(0, lastSpace) : cut;
  return `${wordCut.replace(/[\s.,;:!?-]+$/, '')}…`;
}
