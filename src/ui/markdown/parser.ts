import { Marked, Renderer, Tokenizer, type Tokens } from 'marked';
import { escapeHtml } from './escape';
import { mathExtension } from './math-extension';

/** The first word of a fence's info string, reduced to characters safe in a class name. */
export function languageOf(info: string | undefined): string {
  const word = (info ?? '').trim().split(/\s+/)[0] ?? '';
  return word
    .toLowerCase()
    .replace(/[^a-z0-9_+#.-]/g, '')
    .slice(0, 32);
}

function codeBlock({ text, lang }: Tokens.Code): string {
  const language = languageOf(lang);
  const codeClass = language ? ` class="language-${language}"` : '';
  return (
    '<div class="code-block">' +
    '<div class="code-header">' +
    `<span class="code-language">${escapeHtml(language || 'text')}</span>` +
    '<button type="button" class="copy-code" data-testid="copy-code" aria-label="Copy code">Copy</button>' +
    '</div>' +
    `<pre><code${codeClass}>${escapeHtml(text)}</code></pre>` +
    '</div>\n'
  );
}

/**
 * Raw HTML a model writes is shown as the text it is, never interpreted: a reply is read, not
 * run. The one exception is a line break, which models put inside table cells.
 */
function rawHtml(token: Tokens.HTML | Tokens.Tag): string {
  if (/^<br\s*\/?>$/i.test(token.text.trim())) return '<br>';
  const text = escapeHtml(token.text);
  return token.block ? `<p>${text}</p>\n` : text;
}

/** The GFM parser (with TeX math) every block goes through; DOMPurify still runs on its output. */
export const markdown = new Marked(
  {
    gfm: true,
    breaks: false,
    async: false,
    renderer: {
      code: codeBlock,
      html: rawHtml,
      table(token) {
        // The prototype's table, not `this.table`, which is this override.
        return `<div class="table-scroll">${Renderer.prototype.table.call(this, token)}</div>\n`;
      },
    },
    tokenizer: {
      // Raw HTML is shown as text (see rawHtml), so an `<a>` a model writes opens no link. marked
      // would stop autolinking after it until an `</a>`, even in later blocks: a block would
      // render differently alone than in the whole reply.
      tag(src) {
        const { inLink } = this.lexer.state;
        const token = Tokenizer.prototype.tag.call(this, src);
        this.lexer.state.inLink = inLink;
        return token;
      },
    },
  },
  mathExtension,
);
