import { createMemo, createRenderEffect, createSignal, Index, Show, untrack, type JSX } from 'solid-js';
import { makeBlockSplitter, type LexedBlock } from './blocks';
import { makeBlockView } from './block-view';
import { copyMathAsTex } from './copy-math';
import { sameDefinitions, type Definitions } from './definitions';
import { highlightCodeBlocks } from './highlight';
import { loadKatex } from './math-render';
import { pageVisible } from '../state/page-visibility';
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
  raw: string;
  /** The splitter's tokens of the tail, for the tail block. */
  lexed?: LexedBlock;
  /** Every definition in the reply; read only by blocks that cite a reference. */
  definitions: Definitions;
  /** The block being written: the cursor follows its end, and its code is not highlighted yet. */
  writing: boolean;
}

/**
 * One top-level block. It is rendered again only when what it shows changed (its source grew, a
 * reference in it resolved, its math was typeset), so a settled block keeps its DOM nodes, and
 * the growing one keeps every node that did not change.
 */
function MarkdownBlock(props: BlockProps): JSX.Element {
  const element = (<div class="markdown-block" />) as HTMLDivElement;
  const view = makeBlockView(element);
  createRenderEffect(() => {
    const shown = view.show(
      props.raw,
      untrack(() => props.definitions),
      props.lexed,
    );
    // Listen only for what can change this block's HTML.
    if (shown.labels.length > 0) void props.definitions;
    if (shown.math && !shown.typeset) {
      katexArrivals();
      requestKatex();
    }
    const writing = props.writing;
    view.showCursor(writing);
    // Highlighting rewrites the code's DOM a moment later: the block's HTML no longer tells what it shows.
    if (!writing && highlightCodeBlocks(element)) view.forgetHtml();
  });
  return element;
}

/**
 * Blocks are laid out in groups of this many. While a reply grows, every frame lays out, paints
 * and culls the parent of the block that grew, which visits all of that parent's children: with
 * groups, it visits the groups and one group's blocks, not every block of a long reply
 * (bench/README.md, render).
 */
const GROUP_SIZE = 16;

function sameList(before: readonly string[], after: readonly string[]): boolean {
  return before.length === after.length && before.every((item, index) => item === after[index]);
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
  // A hidden tab keeps what it shows and does not even read new text: it renders it, once, when
  // it is in front again.
  const text = createMemo<string>((shown) => (pageVisible() || shown === undefined ? props.text : shown));
  const streaming = createMemo<boolean | undefined>((shown) => (pageVisible() ? props.streaming : shown), props.streaming);
  const splitter = makeBlockSplitter();
  const split = createMemo(() => splitter.split(text()));
  // A new object on every delta, but blocks hear only when a definition really changed.
  const definitions = createMemo(() => split().definitions, undefined, { equals: sameDefinitions });
  const blocks = createMemo(() => split().blocks);
  const groups = createMemo(() => Array<undefined>(Math.ceil(blocks().length / GROUP_SIZE)), undefined, {
    equals: (before, after) => before.length === after.length,
  });

  const onClick = (event: MouseEvent) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const button = target.closest<HTMLButtonElement>('button.copy-code');
    if (button) copyCode(button);
  };

  return (
    <div class="markdown" classList={{ streaming: streaming() === true }} onClick={onClick} onCopy={copyMathAsTex}>
      <Index each={groups()}>
        {(_, group) => {
          const first = group * GROUP_SIZE;
          const members = createMemo(() => blocks().slice(first, first + GROUP_SIZE), undefined, { equals: sameList });
          return (
            <div class="markdown-group">
              <Index each={members()}>
                {(raw, offset) => {
                  // A memo, so a block hears only when it stops (or starts) being the tail: `blocks()`
                  // changes on every delta, and each block's effect would run again.
                  const isTail = createMemo(() => first + offset === blocks().length - 1);
                  return (
                    <MarkdownBlock
                      raw={raw()}
                      lexed={isTail() ? split().tail : undefined}
                      definitions={definitions()}
                      writing={streaming() === true && isTail()}
                    />
                  );
                }}
              </Index>
            </div>
          );
        }}
      </Index>
      <Show when={streaming() && blocks().length === 0}>
        <span class="cursor" aria-hidden="true" />
      </Show>
    </div>
  );
}
