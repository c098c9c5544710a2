import { createEffect, createMemo, Index, Show, type JSX } from 'solid-js';
import { makeBlockSplitter } from './blocks';
import { makeCursor, placeCursor } from './cursor';
import { highlightCodeBlocks } from './highlight';
import { renderBlock } from './render';
import './markdown.css';

interface BlockProps {
  html: string;
  /** The streaming cursor goes at the end of this block. */
  cursor: boolean;
  /** The block will not change again, so its code may be highlighted. */
  finished: boolean;
}

/**
 * One top-level block. Its HTML is set only when its source changes, so a finished block keeps
 * the same DOM nodes for the life of the message.
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
 * Chat markdown (GFM), rendered block by block. Finished blocks are parsed, sanitised and put in
 * the DOM once; while `streaming`, only the last block is rendered again as text arrives, and a
 * soft cursor follows it. Code is highlighted lazily once its block is finished.
 */
export function Markdown(props: { text: string; streaming?: boolean }): JSX.Element {
  const splitter = makeBlockSplitter();
  // Keyed by a block's source; one component's blocks plus a few passing tails.
  const cache = new Map<string, string>();

  const blocks = createMemo(() => {
    const list = splitter.split(props.text);
    // Drop the tails that have since grown, and blocks of text that was replaced.
    if (cache.size > list.length + 8) {
      const current = new Set(list);
      for (const key of cache.keys()) if (!current.has(key)) cache.delete(key);
    }
    return list;
  });

  const htmlFor = (raw: string): string => {
    let html = cache.get(raw);
    if (html === undefined) {
      html = renderBlock(raw);
      cache.set(raw, html);
    }
    return html;
  };

  const onClick = (event: MouseEvent) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const button = target.closest<HTMLButtonElement>('button.copy-code');
    if (button) copyCode(button);
  };

  return (
    <div class="markdown" onClick={onClick}>
      <Index each={blocks()}>
        {(raw, index) => {
          // A memo, so a block hears only when it stops (or starts) being the tail: `blocks()`
          // changes on every delta, and each block's cursor and highlight effects would re-run.
          const isTail = createMemo(() => index === blocks().length - 1);
          const html = createMemo(() => htmlFor(raw()));
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
