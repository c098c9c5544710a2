import { Lexer, type Token } from 'marked';
import type { LexedBlock } from './blocks';
import { definitionsSignature, recordingDefinitions, type Definitions } from './definitions';
import { isMathToken } from './math-extension';
import { katexLoaded } from './math-render';
import { markdown } from './parser';

export interface BlockMarkup {
  /** marked's HTML, not sanitised yet. */
  html: string;
  /** The reference labels the block looked up: its HTML changes only if their definitions do. */
  labels: string[];
  /** The block holds math. */
  math: boolean;
  /** Its math was typeset (KaTeX was loaded), rather than shown as source. */
  typeset: boolean;
}

/** Lexed blocks whose inline pass has run: their tokens are final, and lexing them again would add to them. */
const finished = new WeakSet<LexedBlock>();

/**
 * One top-level block of markdown as HTML. Reference links resolve against the whole reply's
 * `definitions`, so `[the docs][1]` works wherever `[1]: …` stands. `lexed`, when it is this
 * block's, is used up: its tokens are finished in place.
 */
export function markupOf(raw: string, definitions: Definitions, lexed?: LexedBlock): BlockMarkup {
  const lookedUp = new Set<string>();
  const lexer = new Lexer(markdown.defaults);
  lexer.tokens.links = recordingDefinitions(definitions, lookedUp);
  let tokens: Token[];
  if (lexed?.raw === raw && !finished.has(lexed)) {
    finished.add(lexed);
    // The splitter's block tokens: only the inline pass is left, done as marked's `lex` does it.
    tokens = lexed.tokens;
    for (const { src, tokens: inline } of lexed.inline) {
      lexer.state.inRawBlock = false;
      lexer.inlineTokens(src, inline);
    }
  } else {
    tokens = lexer.lex(raw);
  }
  let math = false;
  markdown.walkTokens(tokens, (token) => {
    if (isMathToken(token)) math = true;
  });
  return { html: markdown.parser(tokens), labels: [...lookedUp], math, typeset: math && katexLoaded() };
}

/** What a block shows, enough to tell whether its source, references or math changed since. */
export interface ShownBlock {
  raw: string;
  labels: string[];
  /** What `labels` meant when it was rendered. */
  signature: string;
  math: boolean;
  typeset: boolean;
  /** The HTML its DOM is the sanitised form of; undefined once the DOM changed since (highlighting). */
  html?: string;
}

export function shownBlock(raw: string, markup: BlockMarkup, definitions: Definitions): ShownBlock {
  const { html, labels, math, typeset } = markup;
  return { raw, labels, signature: definitionsSignature(labels, definitions), math, typeset, html };
}

/**
 * Whether a shown block is still what `raw` renders to: same source, same definitions for the
 * labels it looked up, and its math as typeset as it can be now.
 */
export function isCurrent(shown: ShownBlock, raw: string, definitions: Definitions): boolean {
  if (shown.raw !== raw) return false;
  if (shown.math && !shown.typeset && katexLoaded()) return false;
  return shown.signature === definitionsSignature(shown.labels, definitions);
}
