/** Elements that start a line of their own when a selection is copied as plain text. */
const BLOCK_ELEMENTS = new Set([
  'P',
  'DIV',
  'LI',
  'UL',
  'OL',
  'PRE',
  'BLOCKQUOTE',
  'TABLE',
  'TR',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HR',
]);

/** A typeset formula (KaTeX's MathML inside our wrapper), not one shown as its source. */
const TYPESET = '.math:not(.math-source)';

function typesetFormulaAround(node: Node): Element | null {
  const element = node instanceof Element ? node : node.parentElement;
  return element?.closest(TYPESET) ?? null;
}

/** The formula as TeX with its delimiters, from the annotation KaTeX keeps in the MathML. */
function texOf(formula: Element): string | undefined {
  const annotation = formula.querySelector('annotation[encoding="application/x-tex"]');
  if (annotation?.textContent == null) return undefined;
  const tex = annotation.textContent;
  return formula.classList.contains('math-display') ? `$$${tex}$$` : `$${tex}$`;
}

/** Text as it reads: one line per block, code verbatim, no button labels. */
function plainText(root: Node): string {
  let text = '';
  const endLine = () => {
    if (text && !text.endsWith('\n')) text += '\n';
  };
  const visit = (node: Node) => {
    for (const child of node.childNodes) {
      if (child instanceof Element) {
        if (child.tagName === 'BUTTON') continue;
        if (child.tagName === 'BR') text += '\n';
        else if (child.tagName === 'PRE') {
          endLine();
          text += child.textContent ?? '';
          endLine();
        } else if (BLOCK_ELEMENTS.has(child.tagName)) {
          endLine();
          visit(child);
          endLine();
        } else visit(child);
      } else if (child.nodeType === Node.TEXT_NODE) {
        const content = child.textContent ?? '';
        // The line breaks marked puts between block elements are layout, not text.
        if (!(content.includes('\n') && content.trim() === '')) text += content;
      }
    }
  };
  visit(root);
  return text.trim();
}

/**
 * Copying a selection that holds typeset math copies each formula as its TeX (`$…$`, `$$…$$`),
 * as plain text and as HTML, instead of the MathML's loose characters. A selection that starts
 * or ends inside a formula takes the whole formula: half a formula is no TeX. Any other
 * selection is left to the browser.
 */
export function copyMathAsTex(event: ClipboardEvent): void {
  const selection = document.getSelection();
  if (!event.clipboardData || !selection || selection.rangeCount === 0 || selection.isCollapsed) return;
  const range = selection.getRangeAt(0).cloneRange();
  const first = typesetFormulaAround(range.startContainer);
  if (first) range.setStartBefore(first);
  const last = typesetFormulaAround(range.endContainer);
  if (last) range.setEndAfter(last);

  const fragment = range.cloneContents();
  const formulas = [...fragment.querySelectorAll(TYPESET)];
  if (formulas.length === 0) return;
  for (const formula of formulas) {
    const tex = texOf(formula);
    if (tex !== undefined) formula.replaceWith(tex);
  }
  const html = document.createElement('div');
  html.append(fragment.cloneNode(true));
  event.clipboardData.setData('text/plain', plainText(fragment));
  event.clipboardData.setData('text/html', html.innerHTML);
  event.preventDefault();
}
