import { Lexer, type Token } from 'marked';
import { addDefinitionsOf, copyDefinitions, emptyDefinitions, type Definitions } from './definitions';
import { markdown } from './parser';

/**
 * A block's block-level tokens and the inline lexing still to do on them (marked's inline
 * queue): what the splitter lexed of the tail, so rendering it finishes that work instead of
 * lexing the tail a second time.
 */
export interface LexedBlock {
  raw: string;
  tokens: Token[];
  inline: Array<{ src: string; tokens: Token[] }>;
}

export interface Split {
  /**
   * The source of each top-level block: the settled ones, then the tail (all that is not), if
   * any. Joined, they are the text (when it is more than blank).
   */
  blocks: string[];
  /** How many of `blocks` are settled: no text appended later can change them. */
  settled: number;
  /** Every link reference definition in the text. */
  definitions: Definitions;
  /** The tail's tokens, when there is a tail. */
  tail?: LexedBlock;
}

/** Splits growing markdown into top-level blocks, re-lexing only what can still change. */
export interface BlockSplitter {
  split(text: string): Split;
}

/** A line that is, or may yet become, a list item: `-`, `*`, `+`, `1.` or `1)` then a space or the end. */
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
/** The same while the line is still being written: "2" may become "2. item", "-" may become "- item". */
const LIST_ITEM_PREFIX = /^(?:[-*+]|\d{1,9}[.)]?)$/;

/** Blocks that end on their own line: once any block follows them, nothing can change them. */
function closesItself(token: Token): boolean {
  if (token.type === 'heading' || token.type === 'hr') return true;
  if (token.type === 'code') return token.codeBlockStyle !== 'indented'; // a fence, closed since more follows
  return token.type === 'blockMath' && token.open !== true;
}

/**
 * Whether the block starting at `start` in `source` begins a part that no appended text can join
 * to what comes before (`previous`, the block before it). From the grammar, conservatively:
 * - after a heading, a thematic break, a closed fence or closed display math, always;
 * - otherwise only after a blank line (which ends paragraphs, tables, quotes, HTML blocks of
 *   the blank-line kind and definitions with their titles; fences, open HTML blocks and open
 *   display math run to the end of the text, so no block follows them), and when the block's
 *   first line starts in column 0 (no indented code or list-item continuation), and, after a
 *   list, when that line is not and cannot become an item of it.
 */
function startsSettledPart(source: string, start: number, previous: Token): boolean {
  if (closesItself(previous)) return true;
  const lineBefore = source.slice(source.lastIndexOf('\n', start - 2) + 1, start);
  if (start < 2 || source[start - 1] !== '\n' || lineBefore.trim() !== '') return false;
  if (/^\s/.test(source[start])) return false;
  if (previous.type !== 'list') return true;
  const lineEnd = source.indexOf('\n', start);
  const line = source.slice(start, lineEnd < 0 ? undefined : lineEnd);
  return !LIST_ITEM.test(line) && !(lineEnd < 0 && LIST_ITEM_PREFIX.test(line));
}

interface Lexed extends LexedBlock {
  definitions: Definitions;
}

/** Block tokens only: the splitter needs where blocks start, not their inline content. */
function lexBlocks(source: string, known: Definitions): Lexed {
  const lexer = new Lexer(markdown.defaults);
  lexer.tokens.links = copyDefinitions(known);
  const tokens = lexer.blockTokens(source, []);
  return { raw: source, tokens, inline: lexer.inlineQueue, definitions: lexer.tokens.links };
}

/**
 * A splitter with memory of the last call. While a reply streams, text only grows at the end,
 * and blocks that no continuation can change are settled for good: they are kept, and the
 * lexer runs again only from where the unsettled tail starts — each delta costs the size of
 * the tail, not of the reply. Everything after the last settled block is one tail block.
 * If the text is replaced rather than extended, it starts over.
 */
export function makeBlockSplitter(): BlockSplitter {
  let previousText = '';
  let settled: string[] = [];
  let settledLength = 0;
  let settledDefinitions = emptyDefinitions();

  const reset = () => {
    settled = [];
    settledLength = 0;
    settledDefinitions = emptyDefinitions();
  };

  /**
   * Settles everything before the last boundary that no continuation can move, cut into blocks
   * at such boundaries only. A block is its slice of the text up to the next one, blank lines
   * included: rendered alone it reads as it does in place, and it is exactly what the tail was
   * once the text reached that boundary, so settling usually finds its HTML already cached.
   */
  /** Settles what it can of `tail` (lexed as `tokens`); whether any block settled. */
  const settle = (tail: string, tokens: Token[]): boolean => {
    const starts = [0];
    let settledTokens = 0;
    let position = 0;
    let previous: Token | undefined;
    for (const [index, token] of tokens.entries()) {
      if (token.type !== 'space') {
        if (previous && startsSettledPart(tail, position, previous)) {
          starts.push(position);
          settledTokens = index;
        }
        previous = token;
      }
      // A token's raw is its slice of the source, but for a last space marked counts as '\n'
      // (`- a ` ends in "a\n"): where a raw differs, no position after it can be trusted.
      if (!tail.startsWith(token.raw, position)) break;
      position += token.raw.length;
    }
    for (let block = 0; block + 1 < starts.length; block++) settled.push(tail.slice(starts[block], starts[block + 1]));
    for (const token of tokens.slice(0, settledTokens)) addDefinitionsOf(token, settledDefinitions);
    settledLength += starts[starts.length - 1];
    return starts.length > 1;
  };

  return {
    split(input) {
      const text = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
      if (!text.startsWith(previousText)) reset();
      previousText = text;

      let lexed = lexBlocks(text.slice(settledLength), settledDefinitions);
      // Blocks settled: lex the new tail alone (usually a line or two), so its tokens are its own.
      if (settle(lexed.raw, lexed.tokens)) lexed = lexBlocks(text.slice(settledLength), settledDefinitions);
      const { raw: tail, definitions } = lexed;
      if (!tail.trim()) return { blocks: settled.slice(), settled: settled.length, definitions };
      return { blocks: settled.concat(tail), settled: settled.length, definitions, tail: lexed };
    },
  };
}
