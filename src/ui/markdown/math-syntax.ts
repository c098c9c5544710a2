/**
 * Where TeX math starts and ends in a reply: `$…$`, `$$…$$`, `\(…\)` and `\[…\]`. Pure string
 * scanning, shared by the marked extension (math-extension.ts) and the emphasis mask, so what is
 * math is decided by one set of rules.
 */

export interface MathMatch {
  /** The formula with its delimiters, exactly as written. */
  raw: string;
  /** The TeX between the delimiters. */
  tex: string;
  /** Display math (`$$`, `\[`) rather than inline (`$`, `\(`). */
  display: boolean;
}

const BLANK_LINE = /\n[ \t]*\n/;
const WHITESPACE = /\s/;
const DIGIT = /\d/;

/**
 * The index of `closer` in `src` from `from` on, skipping backslash escapes (so `\$` and `\\`
 * never close), or -1.
 */
function findCloser(src: string, from: number, closer: string): number {
  for (let index = from; index < src.length; index++) {
    if (src.startsWith(closer, index)) return index;
    if (src[index] === '\\') index++;
  }
  return -1;
}

function delimited(src: string, opener: string, closer: string, display: boolean): MathMatch | undefined {
  const end = findCloser(src, opener.length, closer);
  if (end < 0) return undefined;
  const content = src.slice(opener.length, end);
  // TeX has no blank lines inside a formula (a paragraph break ends math mode).
  if (!content.trim() || BLANK_LINE.test(content)) return undefined;
  return { raw: src.slice(0, end + closer.length), tex: content.trim(), display };
}

/**
 * Inline `$…$` with pandoc's rules, which keep prices as text: the opening `$` is followed by a
 * non-space, the closing `$` follows a non-space and is not followed by a digit. So in
 * "$5 and $10" nothing is math, and in "$x$ costs $3" only `$x$` is.
 */
function dollar(src: string): MathMatch | undefined {
  if (src.length < 3 || WHITESPACE.test(src[1])) return undefined;
  for (let index = 1; index < src.length; index++) {
    const character = src[index];
    if (character === '\\') {
      index++;
      continue;
    }
    if (character !== '$') continue;
    if (WHITESPACE.test(src[index - 1]) || DIGIT.test(src[index + 1] ?? '')) continue;
    const tex = src.slice(1, index);
    if (BLANK_LINE.test(tex)) return undefined;
    return { raw: src.slice(0, index + 1), tex, display: false };
  }
  return undefined;
}

/** Math starting at the very beginning of `src`, or undefined. */
export function mathAt(src: string): MathMatch | undefined {
  if (src.startsWith('$$')) return delimited(src, '$$', '$$', true);
  if (src.startsWith('$')) return dollar(src);
  if (src.startsWith('\\(')) return delimited(src, '\\(', '\\)', false);
  if (src.startsWith('\\[')) return delimited(src, '\\[', '\\]', true);
  return undefined;
}

/** Where math could start in `src`: the first `$`, `\(` or `\[`, or -1. */
export function mathStart(src: string): number {
  return src.search(/\$|\\[[(]/);
}

export interface MathBlockMatch extends MathMatch {
  /** Not closed yet: the text ends inside the formula (a reply still streaming). */
  open: boolean;
}

const BLOCK_OPENER = /^ {0,3}(\$\$|\\\[)/;

/**
 * Display math that starts a block: a line opening with `$$` or `\[`, up to the line that ends
 * with the matching closer. Nothing may follow the closer on its line (then it is inline math
 * in a paragraph), and a blank line before the closer means it was never math. When the text
 * ends before the closer, the whole rest is one open formula, shown as its source until it
 * closes: so the lines of a formula being written are never read as lists or headings.
 */
export function mathBlockAt(src: string): MathBlockMatch | undefined {
  const opening = BLOCK_OPENER.exec(src);
  if (!opening) return undefined;
  const opener = opening[1];
  const closer = opener === '$$' ? '$$' : '\\]';
  const start = opening[0].length;
  const end = findCloser(src, start, closer);
  if (end < 0) {
    if (BLANK_LINE.test(src) || !src.slice(start).trim()) return undefined;
    return { raw: src, tex: src.slice(start).trim(), display: true, open: true };
  }
  const content = src.slice(start, end);
  if (!content.trim() || BLANK_LINE.test(content)) return undefined;
  const after = /^[ \t]*(?:\n|$)/.exec(src.slice(end + closer.length));
  if (!after) return undefined;
  return { raw: src.slice(0, end + closer.length + after[0].length), tex: content.trim(), display: true, open: false };
}

/** Where a block formula could interrupt the paragraph at the start of `src`: its line's index, or -1. */
export function mathBlockStart(src: string): number {
  // Only within this paragraph (up to its blank line): marked asks again for the next one.
  const found = /\n(?:[ \t]*\n| {0,3}(?:\$\$|\\\[))/.exec(src);
  if (!found || found[0].trim() === '') return -1;
  return found.index + 1;
}

/**
 * `maskedSrc` with the inside of every formula in `src` hidden, so `*`, `_` and `~` in TeX
 * (`a^*`, `x_1`, `a~b`) never pair with emphasis outside it. `src` is the end of the text that
 * `maskedSrc` covers; marked has already hidden code spans and links in `maskedSrc`.
 */
export function maskMath(src: string, maskedSrc: string): string {
  const offset = maskedSrc.length - src.length;
  if (offset < 0 || mathStart(src) < 0) return maskedSrc;
  let masked = maskedSrc.slice(0, offset);
  let index = 0;
  while (index < src.length) {
    const character = src[index];
    // Code spans and links are hidden as `[aaa]`; an escape like `\(` only as `++`, and stays ours.
    const shown = maskedSrc[offset + index];
    const hidden = shown !== character && shown !== '+';
    const match = !hidden && (character === '$' || character === '\\') ? mathAt(src.slice(index)) : undefined;
    if (match) {
      masked += character + 'a'.repeat(match.raw.length - 2) + match.raw.at(-1);
      index += match.raw.length;
    } else if (character === '\\' && !hidden) {
      masked += maskedSrc.slice(offset + index, offset + index + 2);
      index += 2;
    } else {
      masked += maskedSrc[offset + index];
      index++;
    }
  }
  return masked;
}
