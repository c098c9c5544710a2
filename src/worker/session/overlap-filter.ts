/**
 * The seam of a resumed reply. Providers differ in what they send back when asked to go on with a
 * partial reply: the exact continuation, the last sentence again, or the whole reply from the
 * start. Whatever they do, the reader must see the text once. This filter sits between the
 * provider and the reply: it holds back the first characters of the continuation until it can
 * tell whether they repeat the end of the partial, then drops the repeat and releases the rest —
 * so a duplicate never flashes by, even for a moment.
 *
 * Order of events:
 *  1. Every place in the partial's tail where a word starts is a candidate: the continuation may
 *     be repeating the partial from there to its end. The partial's very start is always one
 *     (a model that starts over).
 *  2. Each character that arrives (whitespace ignored: "\n\n" and " " count alike) rules out the
 *     candidates it does not match. A candidate matched to the partial's end is complete.
 *  3. When no incomplete candidate is left, the longest complete one that is long enough is the
 *     overlap: it is dropped, and everything after it is released. From then on text passes
 *     straight through.
 *  4. At the seam, whitespace the partial already ends with is not repeated.
 */

/** A resumed reply's continuation, cleaned of what it repeats. */
export interface OverlapFilter {
  /** Feed continuation text as it arrives; returns what may be shown now (possibly nothing). */
  push(text: string): string;
  /** The continuation ended (finished, stopped or failed): returns whatever was still held. */
  end(): string;
}

/** How far back (non-whitespace characters) a repeat of the partial's end is looked for. */
export const TAIL_LENGTH = 2000;
/**
 * The shortest repeat removed (non-whitespace characters). Shorter ones are too likely to be a
 * real next word ("a", "to"); a repeat of the whole partial counts at any length.
 */
export const MIN_OVERLAP = 3;
/**
 * A continuation that opens with whitespace starts a new word: a model continuing "I went to the"
 * with " theatre" is not repeating "the". Only a longer repeat is believed then.
 */
export const MIN_OVERLAP_AFTER_SPACE = 12;

const WHITESPACE = /\s/;

/** The partial without whitespace, and where its words start in that compact form. */
function compactForm(text: string): { compact: string; wordStarts: number[] } {
  let compact = '';
  const wordStarts: number[] = [];
  let previousWasSpace = true;
  for (const character of text) {
    if (WHITESPACE.test(character)) {
      previousWasSpace = true;
      continue;
    }
    if (previousWasSpace) wordStarts.push(compact.length);
    compact += character;
    previousWasSpace = false;
  }
  return { compact, wordStarts };
}

/** The index in `text` just after its `count`-th non-whitespace character. */
function indexAfter(text: string, count: number): number {
  if (count === 0) return 0;
  let seen = 0;
  for (let index = 0; index < text.length; index++) {
    if (!WHITESPACE.test(text[index]) && ++seen === count) return index + 1;
  }
  return text.length;
}

/**
 * The whitespace to put between a partial ending in `trailing` and a continuation opening with
 * `leading`: what the partial already has is not repeated, but a line break it lacks is kept (two
 * paragraphs must not run together).
 */
export function seamWhitespace(trailing: string, leading: string): string {
  if (!trailing) return leading;
  if (leading.startsWith(trailing)) return leading.slice(trailing.length);
  if (leading.includes('\n') && !trailing.includes('\n')) return leading;
  return '';
}

/** A filter for the continuation of `partial` (the reply's text so far). */
export function makeOverlapFilter(partial: string): OverlapFilter {
  const { compact, wordStarts } = compactForm(partial);
  const trailing = /\s*$/.exec(partial)?.[0] ?? '';
  /** Candidates still matching but not yet matched to the partial's end, by start offset. */
  let open = wordStarts.filter((start) => start === 0 || compact.length - start <= TAIL_LENGTH);
  /** Candidates matched to the partial's end: the continuation repeats from there. */
  const complete: number[] = [];
  let held = '';
  let matched = 0;
  // A partial with no text has nothing to repeat: only the seam's whitespace needs care.
  let decided = compact.length === 0;
  let seamDone = false;

  const acceptable = (start: number): boolean => {
    if (start === 0) return true;
    const length = compact.length - start;
    // `held` still starts with the continuation's first character until the decision.
    return length >= (WHITESPACE.test(held[0] ?? '') ? MIN_OVERLAP_AFTER_SPACE : MIN_OVERLAP);
  };

  /** After the decision: what is held, its opening whitespace fitted to the partial's end once. */
  const flush = (): string => {
    if (!seamDone) {
      const leading = /^\s*/.exec(held)?.[0] ?? '';
      if (leading.length === held.length) return ''; // only whitespace so far: the seam waits
      seamDone = true;
      held = seamWhitespace(trailing, leading) + held.slice(leading.length);
    }
    const out = held;
    held = '';
    return out;
  };

  /** Drop the first `overlap` non-whitespace characters held (the repeat), release the rest. */
  const decide = (overlap: number): string => {
    decided = true;
    held = held.slice(indexAfter(held, overlap));
    return flush();
  };

  /** The longest complete repeat long enough to believe, in non-whitespace characters. */
  const bestComplete = (): number => {
    const accepted = complete.filter(acceptable);
    return accepted.length === 0 ? 0 : compact.length - Math.min(...accepted);
  };

  return {
    push(text) {
      held += text;
      if (decided) return flush();
      for (const character of text) {
        if (WHITESPACE.test(character)) continue;
        const position = matched++;
        open = open.filter((start) => {
          if (compact[start + position] !== character) return false;
          if (start + position === compact.length - 1) {
            complete.push(start);
            return false;
          }
          return true;
        });
        if (open.length === 0) break;
      }
      return open.length === 0 ? decide(bestComplete()) : '';
    },
    end() {
      if (!decided) {
        decided = true;
        // Ended while still matching: what arrived only repeats the partial (a model that
        // started over, stopped again), so none of it is new.
        const repeating = matched > 0 && open.some(acceptable);
        held = repeating ? '' : held.slice(indexAfter(held, bestComplete()));
      }
      const released = flush();
      if (released || seamDone) return released;
      // Whitespace alone at the very end still gets the seam's treatment.
      const rest = seamWhitespace(trailing, held);
      held = '';
      return rest;
    },
  };
}
