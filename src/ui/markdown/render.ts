import { Lexer } from 'marked';
import { definitionsSignature, recordingDefinitions, type Definitions } from './definitions';
import { isMathToken } from './math-extension';
import { katexLoaded } from './math-render';
import { markdown } from './parser';
import { sanitizeHtml } from './sanitize';

export interface RenderedBlock {
  /** Sanitised HTML, ready for `innerHTML`. */
  html: string;
  /** The reference labels the block looked up: its HTML changes only if their definitions do. */
  labels: string[];
  /** The block holds math. */
  math: boolean;
  /** Its math was typeset (KaTeX was loaded), rather than shown as source. */
  typeset: boolean;
}

/**
 * One top-level block of markdown as HTML. Reference links resolve against the whole reply's
 * `definitions`, so `[the docs][1]` works wherever `[1]: …` stands.
 */
export function renderBlock(raw: string, definitions: Definitions): RenderedBlock {
  const lookedUp = new Set<string>();
  const lexer = new Lexer(markdown.defaults);
  lexer.tokens.links = recordingDefinitions(definitions, lookedUp);
  const tokens = lexer.lex(raw);
  let math = false;
  markdown.walkTokens(tokens, (token) => {
    if (isMathToken(token)) math = true;
  });
  const typeset = math && katexLoaded();
  return { html: sanitizeHtml(markdown.parser(tokens)), labels: [...lookedUp], math, typeset };
}

interface CacheEntry {
  rendered: RenderedBlock;
  signature: string;
}

export interface BlockCache {
  /** The block rendered, from the cache unless what it depends on changed since. */
  render(raw: string, definitions: Definitions): RenderedBlock;
  /** Forgets blocks no longer in `current` (tails that grew, text that was replaced). */
  prune(current: readonly string[]): void;
}

/**
 * Rendered blocks keyed by their source. An entry stays valid while the definitions of the labels
 * it looked up are the same, and while its math stays as typeset as it can be: a settled block is
 * rendered again only when a reference in it resolves later, or when KaTeX arrives.
 */
export function makeBlockCache(): BlockCache {
  const entries = new Map<string, CacheEntry>();
  return {
    render(raw, definitions) {
      const entry = entries.get(raw);
      if (entry) {
        const mathChanged = entry.rendered.math && !entry.rendered.typeset && katexLoaded();
        if (!mathChanged && entry.signature === definitionsSignature(entry.rendered.labels, definitions)) return entry.rendered;
      }
      const rendered = renderBlock(raw, definitions);
      entries.set(raw, { rendered, signature: definitionsSignature(rendered.labels, definitions) });
      return rendered;
    },
    prune(current) {
      if (entries.size <= current.length + 8) return;
      const keep = new Set(current);
      for (const raw of entries.keys()) if (!keep.has(raw)) entries.delete(raw);
    },
  };
}
