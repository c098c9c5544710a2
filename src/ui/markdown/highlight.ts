import type { HLJSApi, LanguageFn } from 'highlight.js';
import { sanitizeToFragment } from './sanitize';

type LanguageModule = Promise<{ default: LanguageFn }>;

/**
 * The grammars we load, one chunk each, only when a reply first shows that language. The full
 * highlight.js bundle (190 languages) is never imported.
 */
const GRAMMARS: Record<string, () => LanguageModule> = {
  javascript: () => import('highlight.js/lib/languages/javascript'),
  typescript: () => import('highlight.js/lib/languages/typescript'),
  python: () => import('highlight.js/lib/languages/python'),
  bash: () => import('highlight.js/lib/languages/bash'),
  json: () => import('highlight.js/lib/languages/json'),
  xml: () => import('highlight.js/lib/languages/xml'),
  css: () => import('highlight.js/lib/languages/css'),
  go: () => import('highlight.js/lib/languages/go'),
  rust: () => import('highlight.js/lib/languages/rust'),
  java: () => import('highlight.js/lib/languages/java'),
  c: () => import('highlight.js/lib/languages/c'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  sql: () => import('highlight.js/lib/languages/sql'),
  yaml: () => import('highlight.js/lib/languages/yaml'),
  markdown: () => import('highlight.js/lib/languages/markdown'),
  diff: () => import('highlight.js/lib/languages/diff'),
};

const ALIASES: Record<string, string> = {
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  py: 'python',
  python3: 'python',
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  html: 'xml',
  svg: 'xml',
  golang: 'go',
  rs: 'rust',
  h: 'c',
  'c++': 'cpp',
  cc: 'cpp',
  hpp: 'cpp',
  cxx: 'cpp',
  yml: 'yaml',
  md: 'markdown',
  patch: 'diff',
  jsonc: 'json',
};

/** The grammar name for a fence's language label, or undefined when we have none for it. */
export function grammarFor(language: string): string | undefined {
  const name = ALIASES[language] ?? language;
  return Object.hasOwn(GRAMMARS, name) ? name : undefined;
}

let core: Promise<HLJSApi> | undefined;
const loaded = new Map<string, Promise<HLJSApi>>();

function loadGrammar(name: string): Promise<HLJSApi> {
  let ready = loaded.get(name);
  if (!ready) {
    core ??= import('highlight.js/lib/core').then((module) => module.default);
    ready = Promise.all([core, GRAMMARS[name]()]).then(([hljs, grammar]) => {
      hljs.registerLanguage(name, grammar.default);
      return hljs;
    });
    // A failed chunk load (offline before it was cached) may succeed later.
    ready.catch(() => loaded.delete(name));
    loaded.set(name, ready);
  }
  return ready;
}

/** Highlighted HTML for some code, or undefined when the language is unknown or fails to load. */
export async function highlightCode(code: string, language: string): Promise<string | undefined> {
  const name = grammarFor(language);
  if (!name) return undefined;
  try {
    const hljs = await loadGrammar(name);
    return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
  } catch {
    return undefined; // Plain code is a fine fallback.
  }
}

/**
 * Highlights every finished code block under `root`, after it is on screen. Each code element is
 * tried once; if its block was re-rendered meanwhile, the stale result is dropped. Whether any
 * was started.
 */
export function highlightCodeBlocks(root: Element): boolean {
  let started = false;
  for (const code of root.querySelectorAll<HTMLElement>('pre > code[class*="language-"]')) {
    if (code.dataset.highlighted) continue;
    started = true;
    code.dataset.highlighted = 'pending';
    const language = /(?:^|\s)language-(\S+)/.exec(code.className)?.[1] ?? '';
    const source = code.textContent ?? '';
    void highlightCode(source, language).then((html) => {
      if (!code.isConnected || code.textContent !== source) return;
      if (html === undefined) {
        code.dataset.highlighted = 'plain';
        return;
      }
      // highlight.js escapes the code; sanitising again costs little and trusts nothing.
      code.replaceChildren(sanitizeToFragment(html));
      code.classList.add('hljs');
      code.dataset.highlighted = 'done';
    });
  }
  return started;
}
