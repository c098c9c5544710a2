import { beforeAll, describe, expect, it } from 'vitest';
import { render } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { Markdown } from '../../src/ui/markdown/Markdown';
import { makeBlockSplitter } from '../../src/ui/markdown/blocks';
import { loadKatex } from '../../src/ui/markdown/math-render';
import { allDocuments, commonmarkDocuments, type CorpusDocument } from './markdown-corpus';
import { oneShotHtml, shownHtml } from './markdown-dom';

/**
 * The strong test of the streaming renderer: every document of a large corpus is streamed one
 * character at a time — every prefix — and must end exactly as the same text loaded at once, and
 * as marked renders the whole text in one go. Along the way, whatever the splitter calls settled
 * must already be the final block (that is what lets a settled block never be rendered again).
 */

// Formulas are typeset synchronously once KaTeX is here; its lazy arrival is tested on its own.
beforeAll(() => loadKatex());

function renderLoaded(text: string): string {
  const result = render(() => <Markdown text={text} />);
  const html = shownHtml(result.container.querySelector('.markdown')!);
  result.unmount();
  return html;
}

/**
 * Streams `text` into the component one character at a time. A block that was settled keeps its
 * DOM: the same element with the same content nodes, unless it may cite a reference defined later.
 */
function renderStreamed(name: string, text: string): string {
  const [shown, setShown] = createSignal('');
  const [streaming, setStreaming] = createSignal(true);
  const result = render(() => <Markdown text={shown()} streaming={streaming()} />);
  const root = result.container.querySelector('.markdown')!;
  const splitter = makeBlockSplitter();
  let kept: Array<{ element: Element; content: ChildNode | null; mayCite: boolean }> = [];
  for (let end = 1; end <= text.length; end++) {
    setShown(text.slice(0, end));
    const elements = [...root.querySelectorAll(':scope > .markdown-group > .markdown-block')];
    kept.forEach((block, index) => {
      expect(elements[index], `${name}: block ${index} kept at ${end}`).toBe(block.element);
      if (!block.mayCite) expect(elements[index].firstChild, `${name}: block ${index} not rendered again`).toBe(block.content);
    });
    const { blocks, settled } = splitter.split(text.slice(0, end));
    kept = blocks
      .slice(0, settled)
      .map((raw, index) => ({ element: elements[index], content: elements[index].firstChild, mayCite: raw.includes('[') }));
  }
  setStreaming(false);
  const html = shownHtml(result.container.querySelector('.markdown')!);
  result.unmount();
  return html;
}

/** Every prefix through one splitter: each settled block must be final, and stay as it was. */
function checkSettledBlocks(document: CorpusDocument): number {
  const final = makeBlockSplitter().split(document.text);
  const splitter = makeBlockSplitter();
  let settledBefore: string[] = [];
  for (let end = 0; end <= document.text.length; end++) {
    const prefix = document.text.slice(0, end);
    const { blocks, settled } = splitter.split(prefix);
    const settledNow = blocks.slice(0, settled);
    expect(settledNow, `${document.name}: settled blocks of ${JSON.stringify(prefix)}`).toEqual(final.blocks.slice(0, settled));
    expect(settledNow.slice(0, settledBefore.length), `${document.name}: settled blocks kept`).toEqual(settledBefore);
    if (prefix.trim()) expect(blocks.join(''), `${document.name}: blocks of ${JSON.stringify(prefix)}`).toBe(prefix);
    settledBefore = settledNow;
  }
  return document.text.length + 1;
}

describe('streaming equals loading, on the whole corpus', () => {
  it('has the corpus it claims', () => {
    expect(commonmarkDocuments).toHaveLength(652);
    expect(allDocuments).toHaveLength(710);
  });

  it('settles only blocks that are final, on every prefix', () => {
    let prefixes = 0;
    for (const document of allDocuments) prefixes += checkSettledBlocks(document);
    expect(prefixes).toBeGreaterThan(15_000);
  });

  const groups = new Map<string, CorpusDocument[]>();
  for (const document of allDocuments) {
    const group = document.name.split(/[ :]/)[0];
    groups.set(group, [...(groups.get(group) ?? []), document]);
  }
  for (const [group, documents] of groups) {
    it(`${group}: streamed DOM = loaded DOM = one-shot render (${documents.length} documents)`, () => {
      for (const document of documents) {
        const expected = oneShotHtml(document.text);
        expect(renderLoaded(document.text), `${document.name}: loaded`).toBe(expected);
        expect(renderStreamed(document.name, document.text), `${document.name}: streamed`).toBe(expected);
      }
    }, 120_000);
  }
});
