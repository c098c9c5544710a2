/**
 * Brings a block's DOM to what a fresh render produced, keeping every node that already matches.
 * A streaming block changes at its end: the paragraphs, list items, table rows and code lines
 * it already shows stay the same nodes, so the browser restyles, lays out and paints only what
 * changed, instead of a whole new subtree per batch.
 *
 * The result is node for node the fresh render (same elements, attributes in the same order,
 * same text nodes), so a streamed block is exactly the block loaded from history.
 */

/** Same kind of node, and for elements the same tag and the same attribute names in order. */
function matches(existing: Node, incoming: Node): boolean {
  if (existing.nodeType !== incoming.nodeType) return false;
  if (!(existing instanceof Element) || !(incoming instanceof Element)) return true;
  if (existing.localName !== incoming.localName || existing.namespaceURI !== incoming.namespaceURI) return false;
  const before = existing.attributes;
  const after = incoming.attributes;
  if (before.length !== after.length) return false;
  for (let index = 0; index < before.length; index++) if (before[index].name !== after[index].name) return false;
  return true;
}

function morphNode(existing: Node, incoming: Node, skip: Node | undefined): void {
  if (existing instanceof Element && incoming instanceof Element) {
    const after = incoming.attributes;
    for (let index = 0; index < after.length; index++) {
      const { name, value } = after[index];
      if (existing.getAttribute(name) !== value) existing.setAttribute(name, value);
    }
    morphChildren(existing, incoming, skip);
  } else if (existing.nodeValue !== incoming.nodeValue) {
    existing.nodeValue = incoming.nodeValue;
  }
}

function nextKept(node: ChildNode | null, skip: Node | undefined): ChildNode | null {
  return node !== null && node === skip ? node.nextSibling : node;
}

/**
 * Makes `target`'s children equal `source`'s: matching nodes are updated in place, the others
 * are moved over from `source` (which is emptied). `skip` (the cursor) is left where it is.
 */
export function morphChildren(target: Node, source: Node, skip?: Node): void {
  let existing = nextKept(target.firstChild, skip);
  let incoming = source.firstChild;
  while (incoming) {
    const next = incoming.nextSibling;
    if (existing && matches(existing, incoming)) {
      morphNode(existing, incoming, skip);
      existing = nextKept(existing.nextSibling, skip);
    } else {
      target.insertBefore(incoming, existing);
    }
    incoming = next;
  }
  while (existing) {
    const after = nextKept(existing.nextSibling, skip);
    existing.remove();
    existing = after;
  }
}
