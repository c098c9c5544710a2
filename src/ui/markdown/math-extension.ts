import { Tokenizer, type MarkedExtension, type Tokens } from 'marked';
import { escapeHtml } from './escape';
import { formulaHtml } from './math-render';
import { maskMath, mathAt, mathBlockAt, mathBlockStart, mathStart } from './math-syntax';

/** A formula in running text (`$…$`, `\(…\)`, or `$$…$$` inside a paragraph). */
export interface InlineMathToken {
  type: 'inlineMath';
  raw: string;
  tex: string;
  display: boolean;
}

/** A formula that is a block of its own; `open` while its closing delimiter has not arrived. */
export interface BlockMathToken {
  type: 'blockMath';
  raw: string;
  tex: string;
  open: boolean;
}

export function isMathToken(token: { type: string }): boolean {
  return token.type === 'inlineMath' || token.type === 'blockMath';
}

/** marked hands extension renderers a generic token; these read back the fields our tokenizers set. */
function field(token: Tokens.Generic, name: string): string {
  const value: unknown = token[name];
  return typeof value === 'string' ? value : '';
}

/**
 * Math as part of the grammar: the block splitter and the renderer lex with the same Marked
 * instance, so a formula is one token to both, and code spans and fences (lexed first) keep
 * their dollars.
 */
export const mathExtension: MarkedExtension = {
  extensions: [
    {
      name: 'blockMath',
      level: 'block',
      start: (src) => {
        const index = mathBlockStart(src);
        return index < 0 ? undefined : index;
      },
      tokenizer(src): BlockMathToken | undefined {
        const match = mathBlockAt(src);
        return match && { type: 'blockMath', raw: match.raw, tex: match.tex, open: match.open };
      },
      renderer(token) {
        const source = field(token, 'raw').trim();
        if (token.open === true) return `<p class="math-source math-open">${escapeHtml(source)}</p>\n`;
        return formulaHtml(field(token, 'tex'), source, { display: true, block: true }) + '\n';
      },
    },
    {
      name: 'inlineMath',
      level: 'inline',
      start: (src) => {
        const index = mathStart(src);
        return index < 0 ? undefined : index;
      },
      tokenizer(src): InlineMathToken | undefined {
        const match = mathAt(src);
        return match && { type: 'inlineMath', raw: match.raw, tex: match.tex, display: match.display };
      },
      renderer(token) {
        return formulaHtml(field(token, 'tex'), field(token, 'raw'), { display: token.display === true, block: false });
      },
    },
  ],
  tokenizer: {
    // Emphasis and strikethrough look ahead for their closing delimiter; TeX inside a formula
    // must not be taken for one.
    emStrong(src, maskedSrc, prevChar) {
      return Tokenizer.prototype.emStrong.call(this, src, maskMath(src, maskedSrc), prevChar);
    },
    del(src, maskedSrc, prevChar) {
      return Tokenizer.prototype.del.call(this, src, maskMath(src, maskedSrc), prevChar);
    },
  },
};
