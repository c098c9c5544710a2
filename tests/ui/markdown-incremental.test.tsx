import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { Markdown } from '../../src/ui/markdown/Markdown';
import { loadKatex } from '../../src/ui/markdown/math-render';
import * as sanitize from '../../src/ui/markdown/sanitize';
import { appendedText, decodeText } from '../../src/ui/markdown/text-append';
import { markdownText } from '../fixtures/mock-llm-behaviours';
import { oneShotHtml, shownHtml } from './markdown-dom';

/**
 * How a streaming block changes: text that only grows is added to the nodes already shown, and
 * any other change keeps every node that still matches. What the user sees is checked against
 * the same text loaded at once (the corpus tests do that for every prefix of 710 documents).
 */

beforeAll(() => loadKatex());
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function renderStreaming(initial: string) {
  const [text, setText] = createSignal(initial);
  const [streaming, setStreaming] = createSignal(true);
  const result = render(() => <Markdown text={text()} streaming={streaming()} />);
  const root = result.container.querySelector('.markdown') as HTMLElement;
  const blocks = () => [...root.querySelectorAll<HTMLElement>('.markdown-block')];
  return { root, blocks, setText, setStreaming };
}

describe('appendedText', () => {
  it('finds text added at the end of the last text run, and the path to its element', () => {
    expect(appendedText('<p>Hello wor</p>\n', '<p>Hello world, and</p>\n')).toEqual({ path: ['p'], html: 'ld, and' });
    expect(appendedText('<ul>\n<li>a</li>\n</ul>\n', '<ul>\n<li>ab</li>\n</ul>\n')).toEqual({ path: ['ul', 'li'], html: 'b' });
    expect(appendedText('<p>a <strong>b</strong></p>\n', '<p>a <strong>b</strong> c</p>\n')).toEqual({ path: ['p'], html: ' c' });
    expect(appendedText('<p>it</p>\n', '<p>it&#39;s</p>\n')).toEqual({ path: ['p'], html: '&#39;s' });
  });

  it('leaves anything else to a full render', () => {
    expect(appendedText('<p>*a</p>\n', '<p><em>a</em></p>\n')).toBeUndefined(); // earlier text changed
    expect(appendedText('<p>a</p>\n', '<p>a <code>b</code></p>\n')).toBeUndefined(); // a new element
    expect(appendedText('<p>a</p>\n', '<p>a</p>\n<p>b</p>\n')).toBeUndefined(); // after the closing tags
    expect(appendedText('<p>a</p>\n', '<p>a</p>\n')).toBeUndefined(); // nothing added
  });

  it('decodes only the entities marked writes', () => {
    expect(decodeText('a &amp; b &lt;c&gt; &quot;d&quot; it&#39;s')).toBe('a & b <c> "d" it\'s');
    expect(decodeText('&copy; 2026')).toBeUndefined();
  });
});

describe('Markdown: a block that grows keeps what it shows', () => {
  it('adds text to a paragraph without rendering it again', () => {
    const { root, blocks, setText } = renderStreaming('Intro.\n\nHello wor');
    const paragraph = blocks()[1].querySelector('p')!;
    const text = paragraph.firstChild;
    const cursor = root.querySelector('.cursor');
    const render = vi.spyOn(sanitize, 'sanitizeToFragment');
    setText('Intro.\n\nHello world, it grows');
    setText("Intro.\n\nHello world, it grows & it's fine");
    expect(render).not.toHaveBeenCalled();
    expect(blocks()[1].querySelector('p')).toBe(paragraph);
    expect(paragraph.firstChild).toBe(text);
    expect(paragraph.textContent).toBe("Hello world, it grows & it's fine");
    // The cursor stays the same element, still after the last character.
    expect(root.querySelector('.cursor')).toBe(cursor);
    expect(paragraph.lastChild).toBe(cursor);
  });

  it('adds lines to a code block as they arrive, keeping its header and button', () => {
    const { blocks, setText } = renderStreaming('```ts\nconst a = 1;');
    const [block] = blocks();
    const code = block.querySelector('pre > code')!;
    const button = block.querySelector('button.copy-code');
    const render = vi.spyOn(sanitize, 'sanitizeToFragment');
    let source = '```ts\nconst a = 1;';
    for (let line = 2; line <= 40; line++) {
      source += `\nconst value${line} = a < ${line} && "x";`;
      setText(source);
    }
    expect(render).not.toHaveBeenCalled();
    expect(block.querySelector('pre > code')).toBe(code);
    expect(block.querySelector('button.copy-code')).toBe(button);
    expect(code.textContent).toBe(source.slice('```ts\n'.length));
  });

  it('keeps the rows a growing table shows', () => {
    const { blocks, setText } = renderStreaming('| a | b |\n|---|---|\n| 1 | 2 |\n| 3 |');
    const rows = [...blocks()[0].querySelectorAll('tr')];
    setText('| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |');
    const after = [...blocks()[0].querySelectorAll('tr')];
    expect(after.slice(0, 3)).toEqual(rows.slice(0, 3));
    expect(after.map((row) => row.textContent?.replace(/\s/g, ''))).toEqual(['ab', '12', '34', '56']);
  });

  it('keeps the items a growing list shows', () => {
    const { blocks, setText } = renderStreaming('- one `code`\n- two');
    const items = [...blocks()[0].querySelectorAll('li')];
    setText('- one `code`\n- two **strong**\n- three');
    const after = [...blocks()[0].querySelectorAll('li')];
    expect(after[0]).toBe(items[0]);
    expect(after[1]).toBe(items[1]);
    expect(after.map((item) => item.textContent)).toEqual(['one code', 'two strong', 'three']);
  });

  it('renders a highlighted code block again whole when a resumed reply grows it', async () => {
    const { blocks, setText, setStreaming } = renderStreaming('```ts\nconst a = 1;');
    setStreaming(false);
    const code = () => blocks()[0].querySelector('pre > code')!;
    await vi.waitFor(() => expect(code().querySelector('[class^="hljs-"]')).not.toBeNull());
    setStreaming(true);
    setText('```ts\nconst a = 1;\nconst b = 2;');
    expect(code().querySelector('[class^="hljs-"]')).toBeNull();
    expect(code().textContent).toBe('const a = 1;\nconst b = 2;');
    setStreaming(false);
    await vi.waitFor(() => expect(code().querySelector('[class^="hljs-"]')).not.toBeNull());
    expect(code().textContent).toBe('const a = 1;\nconst b = 2;');
  });
});

describe('Markdown: a long reply', () => {
  it('lays out its blocks in groups of 16, the same streamed as loaded', () => {
    const text = markdownText(1500);
    const { root, setText, setStreaming } = renderStreaming('');
    // Batches of a dozen characters or so, as the core sends them.
    for (let end = 0; end < text.length; end += 7 + (end % 11)) setText(text.slice(0, end));
    setText(text);
    setStreaming(false);
    const groups = [...root.querySelectorAll(':scope > .markdown-group')];
    expect(groups.length).toBeGreaterThan(3);
    expect(groups.slice(0, -1).every((group) => group.childElementCount === 16)).toBe(true);
    expect(shownHtml(root)).toBe(oneShotHtml(text));
  });
});
