/** Elements the cursor may go inside; it stays outside inline ones (a link, inline code). */
const CONTAINERS = new Set([
  'DIV',
  'P',
  'UL',
  'OL',
  'LI',
  'BLOCKQUOTE',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TD',
  'TH',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'PRE',
]);

export function makeCursor(): HTMLSpanElement {
  const cursor = document.createElement('span');
  cursor.className = 'cursor';
  cursor.setAttribute('aria-hidden', 'true');
  return cursor;
}

function lastMeaningfulChild(element: Element, cursor: HTMLSpanElement): ChildNode | null {
  let child = element.lastChild;
  while (child && (child === cursor || (child.nodeType === Node.TEXT_NODE && !child.textContent?.trim()))) {
    child = child.previousSibling;
  }
  return child;
}

/**
 * Puts the cursor right after the last character of a block: down through the trailing
 * containers (list item, paragraph, code block) so it sits on the line being written. A cursor
 * already there is not moved (moving it restyles it and restarts its blink).
 */
export function placeCursor(block: Element, cursor: HTMLSpanElement): void {
  let target: Element = block;
  for (;;) {
    const child = lastMeaningfulChild(target, cursor);
    if (!(child instanceof Element)) break;
    if (child.tagName === 'PRE') {
      target = child.querySelector('code') ?? child;
      break;
    }
    if (!CONTAINERS.has(child.tagName)) break;
    target = child;
  }
  if (target.lastChild !== cursor) target.append(cursor);
}
