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

let purifier: Purifier | undefined;

/**
 * A DOMPurify instance of our own, so the hook is registered exactly once and never touches
 * anyone else's use of the shared default instance.
 */
function getPurifier(): Purifier {
  if (!purifier) {
    purifier = DOMPurify(window);
    purifier.addHook('afterSanitizeAttributes', hardenElement);
  }
  return purifier;
}

/** Makes HTML safe for `innerHTML`: no scripts, handlers, styles, frames, forms or unsafe URLs. */
export function sanitizeHtml(html: string): string {
  return getPurifier().sanitize(html, CONFIG);
}
