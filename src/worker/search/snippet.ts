/**
 * The few words around a match, built in the core so a tab only renders text and marks: the
 * message's text never reaches the page as HTML.
 */
import type { TextRange } from '../../shared/protocol';
import { normalizeTerm, WORD } from './terms';

/** Characters of context shown, about two lines of the palette. */
export const SNIPPET_LENGTH = 160;
/** How much of the window comes before the first match it shows. */
const LEAD = 40;

export interface Snippet {
  text: string;
  matches: TextRange[];
}

/** Markdown's marks say nothing in a one-line extract: fences, headings, quotes, emphasis. */
function plain(text: string): string {
  return text
    .replace(/```[^\n]*\n?/g, ' ')
    .replace(/^\s{0,3}(?:#{1,6}|>+|[-*+]|\d+\.)\s+/gm, '')
    .replace(/(\*\*|__|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Where the words whose folded form is one of `terms` are in `text`. */
function findMatches(text: string, terms: ReadonlySet<string>): TextRange[] {
  const found: TextRange[] = [];
  for (const match of text.matchAll(WORD)) {
    const term = normalizeTerm(match[0]);
    if (term !== null && terms.has(term)) found.push({ start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/** The window start that shows the most matches, starting a little before one of them. */
function bestStart(matches: TextRange[]): number {
  let best = 0;
  let bestCount = 0;
  for (const [position, match] of matches.entries()) {
    const start = Math.max(0, match.start - LEAD);
    let count = 0;
    for (let next = position; next < matches.length && matches[next].end <= start + SNIPPET_LENGTH; next++) count++;
    if (count > bestCount) {
      best = start;
      bestCount = count;
    }
  }
  return best;
}

/**
 * A one-line extract of `content` around the words that matched (`terms`, as the index keeps
 * them), cut at word boundaries, with "…" where text was left out, and the matches' offsets in it.
 */
export function makeSnippet(content: string, terms: ReadonlySet<string>): Snippet {
  const text = plain(content);
  const matches = findMatches(text, terms);
  let start = bestStart(matches);
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  // Whole words only: move the cuts to the nearest space inside the window.
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space !== -1 && space < (matches.find((match) => match.start >= start)?.start ?? end)) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start && space >= (matches.filter((match) => match.end <= end).at(-1)?.end ?? start)) end = space;
  }
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  return {
    text: `${prefix}${text.slice(start, end)}${suffix}`,
    matches: matches
      .filter((match) => match.start >= start && match.end <= end)
      .map((match) => ({ start: match.start - start + prefix.length, end: match.end - start + prefix.length })),
  };
}
