import { createEffect, createMemo, createSignal, Index, Show, untrack, type JSX } from 'solid-js';
import { makeBlockSplitter } from './blocks';
import { copyMathAsTex } from './copy-math';
import { makeCursor, placeCursor } from './cursor';
import { sameDefinitions } from './definitions';
import { highlightCodeBlocks } from './highlight';
import { loadKatex } from './math-render';
import { makeBlockCache } from './render';
import './markdown.css';
import './math.css';

/**
 * Bumps when KaTeX has loaded. Only blocks whose math is still shown as source listen, so its
 * arrival re-renders those blocks and no others.
 */
const [katexArrivals, setKatexArrivals] = createSignal(0);

let waitingForKatex = false;

function requestKatex(): void {
  if (waitingForKatex) return;
  waitingForKatex = true;
  loadKatex().then(
    () => setKatexArrivals((count) => count + 1),
    // Offline and not cached yet: the source stays, and the next formula asks again.
    () => (waitingForKatex = false),
  );
}

interface BlockProps {
  html: string;
  /** The streaming cursor goes at the end of this block. */
  cursor: boolean;
  /** The block will not change again, so its code may be highlighted. */
  finished: boolean;
}

/**
 * One top-level block. Its HTML is set only when it changes (its source grew, a reference in it
 * resolved, its math was typeset), so a settled block keeps its DOM nodes.
 */
function MarkdownBlock(props: BlockProps): JSX.Element {
  let element!: HTMLDivElement;
  let cursor: HTMLSpanElement | undefined;

  // User effects run after the `innerHTML` render effect, so they see the fresh nodes.
  createEffect(() => {
    void props.html; // a new innerHTML dropped the cursor: put it back
    if (props.cursor) placeCursor(element, (cursor ??= makeCursor()));
    else cursor?.remove();
  });
  createEffect(() => {
    void props.html;
    if (props.finished) highlightCodeBlocks(element);
  });

  return <div class="markdown-block" ref={element} innerHTML={props.html} />;
}

const BUTTON_FEEDBACK_MS = 1500;

function showOnButton(button: HTMLButtonElement, text: string, label: string): void {
  button.textContent = text;
  button.setAttribute('aria-label', label);
  setTimeout(() => {
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy code');
  }, BUTTON_FEEDBACK_MS);
}

function copyCode(button: HTMLButtonElement): void {
  const code = button.closest('.code-block')?.querySelector('pre code');
  if (!code) return;
  let copying: Promise<void>;
  try {
    // Called within the click itself: some browsers allow the clipboard only there.
    copying = navigator.clipboard.writeText(code.textContent ?? '');
  } catch (error) {
    copying = Promise.reject(error); // no clipboard API (insecure context, old browser)
  }
  copying.then(
    () => showOnButton(button, 'Copied', 'Code copied'),
    () => showOnButton(button, 'Copy failed', 'Copying failed'),
  );
}

/**
 * Chat markdown (GFM and TeX math), rendered block by block. Blocks the splitter has settled are
 * parsed, sanitised and put in the DOM once; while `streaming`, only the tail is rendered again
 * as text arrives, and a soft cursor follows it. A settled block is rendered again only when a
 * reference in it resolves later or KaTeX arrives for its math. Code is highlighted lazily once
 * its block is finished.
 */
export function Markdown(props: { text: string; streaming?: boolean }): JSX.Element {
  const splitter = makeBlockSplitter();
  const cache = makeBlockCache();

  const split = createMemo(() => splitter.split(props.text));
  // A new object on every delta, but blocks hear only when a definition really changed.
  const definitions = createMemo(() => split().definitions, undefined, { equals: sameDefinitions });
  const blocks = createMemo(() => {
    const list = split().blocks;
    cache.prune(list);
    return list;
  });

  const onClick = (event: MouseEvent) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const button = target.closest<HTMLButtonElement>('button.copy-code');
    if (button) copyCode(button);
  };

  return (
    <div class="markdown" onClick={onClick} onCopy={copyMathAsTex}>
      <Index each={blocks()}>
        {(raw, index) => {
          // A memo, so a block hears only when it stops (or starts) being the tail: `blocks()`
          // changes on every delta, and each block's cursor and highlight effects would re-run.
          const isTail = createMemo(() => index === blocks().length - 1);
          const html = createMemo(() => {
            const rendered = cache.render(raw(), untrack(definitions));
            // Listen only for what can change this block's HTML.
            if (rendered.labels.length > 0) definitions();
            if (rendered.math && !rendered.typeset) {
              katexArrivals();
              requestKatex();
            }
            return rendered.html;
          });
          return (
            <MarkdownBlock
              html={html()}
              cursor={props.streaming === true && isTail()}
              finished={!(props.streaming && isTail())}
            />
          );
        }}
      </Index>
      <Show when={props.streaming && blocks().length === 0}>
        <span class="cursor" aria-hidden="true" />
      </Show>
    </div>
  );
}
