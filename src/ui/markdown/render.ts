import { markdown } from './parser';
import { sanitizeHtml } from './sanitize';

/** One top-level block of markdown as sanitised HTML, ready for `innerHTML`. */
export function renderBlock(raw: string): string {
  return sanitizeHtml(markdown.parse(raw, { async: false }));
}
