/**
 * The common case of a streaming block: its HTML only grew by text at the end of a text run
 * ("<p>Hello wor</p>" → "<p>Hello world, and</p>", a code line growing, a table cell being
 * written). Then the page needs that text added, not the block parsed, sanitised and compared
 * node by node again. Anything else (a new element, an attribute, an entity we do not decode)
 * is left to the full render.
 */

const CLOSING_TAG = /^<\/([a-zA-Z][a-zA-Z0-9-]*)>$/;

interface ClosingTag {
  start: number;
  name: string;
}

/**
 * The closing tags that end a block's HTML, innermost first, with where each starts:
 * "<ul>\n<li>a</li>\n</ul>\n" → `</li>`, `</ul>` (marked puts a newline after each). Read from
 * the end, so it costs the tags, not the block.
 */
function closingTags(html: string): ClosingTag[] {
  const tags: ClosingTag[] = [];
  let end = html.length;
  for (;;) {
    const tagEnd = html[end - 1] === '\n' ? end - 1 : end;
    const start = html[tagEnd - 1] === '>' ? html.lastIndexOf('</', tagEnd - 1) : -1;
    const name = start < 0 ? undefined : CLOSING_TAG.exec(html.slice(start, tagEnd))?.[1];
    if (name === undefined) return tags.reverse();
    tags.push({ start, name: name.toLowerCase() });
    end = start;
  }
}

/** The entities marked's and our escaping write; any other `&` sends the block to a full render. */
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The text an HTML run without tags stands for, or undefined when it holds an entity we do not know. */
export function decodeText(html: string): string | undefined {
  let unknown = false;
  const text = html.replace(/&[^;]*;?/g, (entity) => {
    const character = ENTITIES[entity];
    if (character === undefined) unknown = true;
    return character ?? '';
  });
  return unknown ? undefined : text;
}

export interface AppendedText {
  /** The elements, outermost first, whose closing tags follow the text: the way to where it goes. */
  path: string[];
  /** The added HTML: text and the entities of `ENTITIES`, no tag. */
  html: string;
}

/**
 * Where `after` is `before` with text added just before some of its closing tags (at the end of
 * the innermost element, or after an element that closed): that text and where it goes.
 */
export function appendedText(before: string, after: string): AppendedText | undefined {
  if (after.length <= before.length) return undefined;
  const tags = closingTags(before);
  for (let inside = 0; inside <= tags.length; inside++) {
    const split = inside < tags.length ? tags[inside].start : before.length;
    const prefix = before.slice(0, split);
    const closing = before.slice(split);
    if (!after.startsWith(prefix) || !after.endsWith(closing)) continue;
    // The prefix must end in text or after a tag: not inside a tag or an entity.
    if (prefix.lastIndexOf('<') > prefix.lastIndexOf('>') || prefix.lastIndexOf('&') > prefix.lastIndexOf(';')) return undefined;
    const html = after.slice(prefix.length, after.length - closing.length);
    if (/[<>\0]/.test(html)) return undefined;
    return {
      path: tags
        .slice(inside)
        .map((tag) => tag.name)
        .reverse(),
      html,
    };
  }
  return undefined;
}

/** The last child element, skipping `skip` (the cursor). */
function lastElementChild(element: Element, skip: Node | undefined): Element | null {
  let child = element.lastElementChild;
  while (child && child === skip) child = child.previousElementSibling;
  return child;
}

/**
 * Adds `text` to the element the path leads to, at its end: to its last text node, or as a new
 * one after its last element, as a parse of the whole HTML would have it. False (nothing done)
 * when the DOM is not the shape the path says.
 */
export function appendTextAt(block: Element, path: string[], text: string, skip: Node | undefined): boolean {
  let target = block;
  for (const tag of path) {
    const child = lastElementChild(target, skip);
    if (!child || child.localName !== tag) return false;
    target = child;
  }
  let last = target.lastChild;
  if (last !== null && last === skip) last = last.previousSibling;
  if (last instanceof Text) last.appendData(text);
  else target.insertBefore(document.createTextNode(text), last ? last.nextSibling : target.firstChild);
  return true;
}
