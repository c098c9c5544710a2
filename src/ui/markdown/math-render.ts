import type { KatexOptions } from 'katex';
import { escapeHtml } from './escape';

type Katex = typeof import('katex').default;

let katex: Katex | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads KaTeX (a chunk of its own, ~75 kB gzip) the first time a reply holds math; a page
 * without math never fetches it. A failed load (offline before the chunk was cached) may be
 * tried again by the next formula.
 */
export function loadKatex(): Promise<void> {
  loading ??= import('katex').then(
    (module) => {
      katex = module.default;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Whether formulas are typeset now, rather than shown as their source. */
export function katexLoaded(): boolean {
  return katex !== undefined;
}

/**
 * MathML only: the browser lays it out with no stylesheet or fonts of KaTeX's, and it needs no
 * inline styles, which the CSP forbids. `trust: false` keeps `\href`, `\url` and `\html…` inert;
 * `maxExpand` stops macro bombs.
 */
const OPTIONS: KatexOptions = {
  output: 'mathml',
  throwOnError: true,
  trust: false,
  strict: 'ignore',
  maxExpand: 1000,
  maxSize: 50,
};

export interface FormulaOptions {
  /** Display math (centred on its own line) rather than inline. */
  display: boolean;
  /** Laid out as a block of its own (`<div>`), not inside a paragraph (`<span>`). */
  block: boolean;
}

/**
 * A formula as HTML: KaTeX's MathML once KaTeX is here, else the source as written. A formula
 * KaTeX cannot parse also shows its source, with the reason in a tooltip and for screen
 * readers — never an error blob in the middle of a reply.
 */
export function formulaHtml(tex: string, source: string, options: FormulaOptions): string {
  const tag = options.block ? 'div' : 'span';
  const kind = options.display ? 'math math-display' : 'math math-inline';
  if (katex) {
    try {
      const typeset = katex.renderToString(tex, { ...OPTIONS, displayMode: options.display });
      return `<${tag} class="${kind}">${typeset}</${tag}>`;
    } catch (error) {
      // A ParseError's raw message leaves out KaTeX's underlined excerpt, which reads badly in a tooltip.
      const reason =
        error instanceof katex.ParseError ? error.rawMessage : error instanceof Error ? error.message : String(error);
      const hint = escapeHtml(`This formula could not be typeset: ${reason}`);
      return `<${tag} class="${kind} math-source math-error" title="${hint}" aria-description="${hint}">${escapeHtml(source)}</${tag}>`;
    }
  }
  return `<${tag} class="${kind} math-source">${escapeHtml(source)}</${tag}>`;
}
