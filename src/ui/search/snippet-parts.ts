import type { TextRange } from '../../shared/protocol';

/** A piece of a snippet: plain text, or a matched word to mark. */
export interface SnippetPart {
  text: string;
  marked: boolean;
}

/**
 * The snippet cut at its matches, for rendering as text nodes and <mark> elements (never as
 * HTML). Ranges out of order, overlapping or out of bounds are ignored rather than trusted.
 */
export function snippetParts(snippet: string, matches: readonly TextRange[]): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let at = 0;
  for (const { start, end } of matches) {
    if (start < at || end <= start || end > snippet.length) continue;
    if (start > at) parts.push({ text: snippet.slice(at, start), marked: false });
    parts.push({ text: snippet.slice(start, end), marked: true });
    at = end;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), marked: false });
  return parts;
}
