import type { LexedBlock } from './blocks';
import { makeCursor, placeCursor } from './cursor';
import type { Definitions } from './definitions';
import { morphChildren } from './morph';
import { isCurrent, markupOf, shownBlock, type ShownBlock } from './render';
import { sanitizeText, sanitizeToFragment } from './sanitize';
import { appendedText, appendTextAt, decodeText } from './text-append';

/** One top-level block's element and what it shows: renders it again only when that changed. */
export interface BlockView {
  /**
   * Shows `raw`. Nothing happens when it is what the block shows already (same source, same
   * definitions for its references, math as typeset as it can be). When its HTML only grew by
   * text at the end (the common case while it streams), that text is added; anything else is
   * sanitised and morphed in, keeping every node that did not change.
   */
  show(raw: string, definitions: Definitions, lexed?: LexedBlock): ShownBlock;
  /** The streaming cursor at the end of the block, or none. */
  showCursor(shown: boolean): void;
  /** Its DOM is about to change outside `show` (highlighting): the next change renders it whole. */
  forgetHtml(): void;
}

/** Adds the text `after` has beyond `before`, when that is all it has; whether it did. */
function appendText(element: Element, before: string, after: string, cursor: Node | undefined): boolean {
  const appended = appendedText(before, after);
  if (!appended) return false;
  // DOMPurify hands a run without a tag back as it is; anything else it changed is not plain text.
  const checked = sanitizeText(appended.html);
  const text = checked === appended.html ? decodeText(checked) : undefined;
  return text !== undefined && appendTextAt(element, appended.path, text, cursor);
}

export function makeBlockView(element: HTMLElement): BlockView {
  let shown: ShownBlock | undefined;
  let cursor: HTMLSpanElement | undefined;
  let cursorShown = false;
  return {
    show(raw, definitions, lexed) {
      if (shown && isCurrent(shown, raw, definitions)) return shown;
      const markup = markupOf(raw, definitions, lexed);
      const before = shown?.html;
      // The same HTML (a block that settled with the blank line after it): the DOM is right already.
      if (before !== markup.html && (before === undefined || !appendText(element, before, markup.html, cursor))) {
        morphChildren(element, sanitizeToFragment(markup.html), cursor);
      }
      shown = shownBlock(raw, markup, definitions);
      // Back after the last character (a morph may have replaced the element that held it).
      if (cursorShown) placeCursor(element, cursor!);
      return shown;
    },
    showCursor(on) {
      if (on === cursorShown) return;
      cursorShown = on;
      if (on) placeCursor(element, (cursor ??= makeCursor()));
      else cursor?.remove();
    },
    forgetHtml() {
      if (shown) shown = { ...shown, html: undefined };
    },
  };
}
