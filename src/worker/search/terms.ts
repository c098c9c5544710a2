/**
 * How text becomes search terms, in one place: the index, the query and the snippet's
 * highlighting must cut and fold words alike, or a highlighted word would not be the one found.
 */

/** Longer "words" are pasted data (base64, hashes, minified code): nobody types them to search. */
const LONGEST_TERM = 40;

/** Letters and digits; everything else separates words (spaces, punctuation, symbols). */
export const WORD = /[\p{L}\p{N}]+/gu;

/** A word as the index keeps it: lower case, accents folded ("Café" → "cafe"); null to leave it out. */
export function normalizeTerm(word: string): string | null {
  if (word.length > LONGEST_TERM) return null;
  const folded = word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return folded || null;
}

/** The words of a text, as MiniSearch's tokenizer (the same rule as `WORD`). */
export function tokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}
