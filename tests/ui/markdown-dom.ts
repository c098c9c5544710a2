import { markdown } from '../../src/ui/markdown/parser';
import { sanitizeToFragment } from '../../src/ui/markdown/sanitize';

/**
 * HTML in a form two renders can be compared by: the whitespace between top-level blocks (the
 * one-shot render puts a newline between them, the block-by-block one a `<div>` boundary) is
 * dropped, and what the DOM adds after rendering (the streaming cursor, the highlighter's
 * bookkeeping) is removed.
 */
export function normalisedHtml(html: string): string {
  const container = document.createElement('div');
  container.innerHTML = html;
  for (const node of [...container.childNodes]) {
    if (node.nodeType === Node.TEXT_NODE && !node.textContent?.trim()) node.remove();
  }
  for (const cursor of container.querySelectorAll('.cursor')) cursor.remove();
  for (const code of container.querySelectorAll('code[data-highlighted]')) code.removeAttribute('data-highlighted');
  return container.innerHTML;
}

/** What the Markdown component shows: its blocks' contents, joined. */
export function shownHtml(root: Element): string {
  const blocks = [...root.querySelectorAll(':scope > .markdown-group > .markdown-block')];
  return normalisedHtml(blocks.map((block) => block.innerHTML).join(''));
}

/** Nodes as HTML, for comparing. */
function htmlOf(nodes: Node): string {
  const container = document.createElement('div');
  container.append(nodes.cloneNode(true));
  return container.innerHTML;
}

/** HTML through the sanitiser, as HTML again. */
export function sanitizedHtml(html: string): string {
  return htmlOf(sanitizeToFragment(html));
}

/** The whole text through marked in one go, sanitised: the reference the block renders must equal. */
export function oneShotHtml(text: string): string {
  return normalisedHtml(sanitizedHtml(markdown.parse(text, { async: false })));
}
