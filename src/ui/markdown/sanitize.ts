import DOMPurify, { type Config } from 'dompurify';

type Purifier = ReturnType<typeof DOMPurify>;

const UNSAFE_URL = /^(?:javascript|vbscript|data):/i;
const URL_ATTRIBUTES = ['href', 'src', 'xlink:href', 'action', 'formaction', 'srcset', 'poster'];

/**
 * HTML, plus the MathML that KaTeX writes. `semantics` and `annotation` (which carries the TeX
 * for copying) are outside DOMPurify's MathML profile, so they are added by name; their
 * `annotation-xml` sibling, which may hold HTML, stays forbidden, as do `maction` and friends.
 */
const CONFIG: Config = {
  USE_PROFILES: { html: true, mathMl: true },
  ADD_TAGS: ['semantics', 'annotation'],
  FORBID_TAGS: [
    'style',
    'script',
    'iframe',
    'frame',
    'object',
    'embed',
    'form',
    'textarea',
    'select',
    'link',
    'meta',
    'base',
    'annotation-xml',
    'maction',
  ],
  FORBID_ATTR: ['style'],
};

/** Removes every character a browser ignores inside a URL scheme ("java\tscript:"). */
function schemeOf(value: string): string {
  return value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
}

function hardenElement(node: Element): void {
  for (const name of URL_ATTRIBUTES) {
    const value = node.getAttribute(name);
    if (value !== null && UNSAFE_URL.test(schemeOf(value))) node.removeAttribute(name);
  }
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
  // Task-list checkboxes are the only inputs markdown makes; they show state, not take it.
  if (node.tagName === 'INPUT') {
    if (node.getAttribute('type') !== 'checkbox') node.remove();
    else node.setAttribute('disabled', '');
  }
}

/**
 * A DOMPurify instance of our own per output, so the hook is registered on ours alone (never on
 * the shared default instance), and each is configured once: `sanitize` with a config argument
 * would parse that config again on every call (every batch of a streaming reply).
 */
function makePurifier(config: Config): Purifier {
  const purifier = DOMPurify(window);
  purifier.addHook('afterSanitizeAttributes', hardenElement);
  purifier.setConfig(config);
  return purifier;
}

let toNodes: Purifier | undefined;
let toText: Purifier | undefined;

/**
 * Makes HTML safe to show — no scripts, handlers, styles, frames, forms or unsafe URLs — as
 * nodes ready to insert: DOMPurify parses the HTML once and hands back what it kept, so the page
 * never parses a serialisation of it again (as `innerHTML` would).
 */
export function sanitizeToFragment(html: string): DocumentFragment {
  toNodes ??= makePurifier({ ...CONFIG, RETURN_DOM_FRAGMENT: true });
  // The setting is the instance's already; repeating it picks the overload that returns nodes.
  return toNodes.sanitize(html, { RETURN_DOM_FRAGMENT: true });
}

/**
 * HTML without a tag (text and entities) as DOMPurify passes it: unchanged, unparsed, since
 * nothing there can be markup. Text added to a streaming block goes through here, so the
 * sanitiser still sees everything that reaches the page.
 */
export function sanitizeText(html: string): string {
  toText ??= makePurifier(CONFIG);
  return toText.sanitize(html);
}
