import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { Lexer } from 'marked';
import { Markdown } from '../../src/ui/markdown/Markdown';
import { markdown } from '../../src/ui/markdown/parser';

afterEach(cleanup);

function renderMarkdown(text: string) {
  const result = render(() => <Markdown text={text} />);
  return result.container.querySelector('.markdown') as HTMLElement;
}

function blocksOf(root: Element): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(':scope > .markdown-group > .markdown-block')];
}

function renderStreaming(initial: string) {
  const [text, setText] = createSignal(initial);
  const [streaming, setStreaming] = createSignal(true);
  const result = render(() => <Markdown text={text()} streaming={streaming()} />);
  const root = result.container.querySelector('.markdown') as HTMLElement;
  return { root, text, setText, setStreaming };
}

describe('Markdown: GFM', () => {
  it('renders headings, lists, task lists, a table, inline code, quotes and links', () => {
    const root = renderMarkdown(
      [
        '# Title',
        '## Part',
        'Some *emphasis*, **strong** and `inline code`.',
        '- one\n- two',
        '1. first\n2. second',
        '- [ ] todo\n- [x] done',
        '| a | b |\n|---|---|\n| 1 | 2 |',
        '> quoted',
        '---',
      ].join('\n\n'),
    );
    expect(root.querySelector('h1')?.textContent).toBe('Title');
    expect(root.querySelector('h2')?.textContent).toBe('Part');
    expect(root.querySelector('em')?.textContent).toBe('emphasis');
    expect(root.querySelector('strong')?.textContent).toBe('strong');
    expect(root.querySelector('p code')?.textContent).toBe('inline code');
    expect([...root.querySelectorAll('ul')[0].querySelectorAll('li')].map((li) => li.textContent)).toEqual(['one', 'two']);
    expect(root.querySelectorAll('ol li')).toHaveLength(2);
    const boxes = root.querySelectorAll<HTMLInputElement>('li input[type="checkbox"]');
    expect([...boxes].map((box) => box.checked)).toEqual([false, true]);
    expect([...boxes].every((box) => box.disabled)).toBe(true);
    const table = root.querySelector('.table-scroll > table');
    expect([...table!.querySelectorAll('th')].map((cell) => cell.textContent)).toEqual(['a', 'b']);
    expect([...table!.querySelectorAll('td')].map((cell) => cell.textContent)).toEqual(['1', '2']);
    expect(root.querySelector('blockquote')?.textContent?.trim()).toBe('quoted');
    expect(root.querySelector('hr')).not.toBeNull();
  });

  it('renders a fenced block with its language, a copy button and the exact code', () => {
    const code = 'const a: number = 1;\nif (a < 2 && a > 0) console.log("<b>");';
    const root = renderMarkdown('Before\n\n```ts\n' + code + '\n```\n\nAfter');
    const block = root.querySelector('.code-block')!;
    expect(block.querySelector('.code-language')?.textContent).toBe('ts');
    const button = block.querySelector('[data-testid="copy-code"]');
    expect(button?.getAttribute('aria-label')).toBe('Copy code');
    expect(button?.textContent).toBe('Copy');
    const codeElement = block.querySelector('pre > code')!;
    expect(codeElement.classList.contains('language-ts')).toBe(true);
    expect(codeElement.textContent).toBe(code);
  });

  it('labels a fence without a language "text"', () => {
    const root = renderMarkdown('```\nplain\n```');
    expect(root.querySelector('.code-language')?.textContent).toBe('text');
    expect(root.querySelector('pre > code')?.textContent).toBe('plain');
  });

  it('copies the raw code and says so', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    try {
      const root = renderMarkdown('```python\nprint("hi")\n```');
      const button = root.querySelector<HTMLButtonElement>('[data-testid="copy-code"]')!;
      fireEvent.click(button);
      await vi.waitFor(() => expect(button.textContent).toBe('Copied'));
      expect(writeText).toHaveBeenCalledWith('print("hi")');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('Markdown: streaming', () => {
  it('re-renders only the tail; earlier blocks keep their DOM nodes', () => {
    const { root, setText, setStreaming } = renderStreaming('# Heading\n\nFirst para');
    const [heading, tail] = blocksOf(root);
    const headingElement = heading.querySelector('h1')!;
    expect(tail.querySelector('p')?.textContent).toBe('First para');

    setText('# Heading\n\nFirst paragraph grows');
    expect(blocksOf(root)[0]).toBe(heading);
    expect(heading.querySelector('h1')).toBe(headingElement);
    expect(blocksOf(root)[1]).toBe(tail);
    expect(tail.querySelector('p')?.textContent).toBe('First paragraph grows');

    setText('# Heading\n\nFirst paragraph grows.\n\n- item');
    const [stillHeading, paragraph, list] = blocksOf(root);
    expect(stillHeading).toBe(heading);
    expect(heading.querySelector('h1')).toBe(headingElement);
    const paragraphElement = paragraph.querySelector('p')!;

    setText('# Heading\n\nFirst paragraph grows.\n\n- item\n- another');
    expect(blocksOf(root)[0]).toBe(heading);
    expect(heading.querySelector('h1')).toBe(headingElement);
    expect(blocksOf(root)[1].querySelector('p')).toBe(paragraphElement);
    expect(blocksOf(root)[2]).toBe(list);
    expect([...list.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['item', 'another']);

    setStreaming(false);
    expect(heading.querySelector('h1')).toBe(headingElement);
    expect(blocksOf(root)[1].querySelector('p')).toBe(paragraphElement);
  });

  it('lexes the tail block once and parses only it on each update', () => {
    const { setText } = renderStreaming('# Heading\n\nA paragraph.\n\nTail');
    const blockTokens = vi.spyOn(Lexer.prototype, 'blockTokens');
    const inlineTokens = vi.spyOn(Lexer.prototype, 'inlineTokens');
    const lex = vi.spyOn(Lexer.prototype, 'lex');
    const parser = vi.spyOn(markdown, 'parser');
    try {
      setText('# Heading\n\nA paragraph.\n\nTail grows');
      // Its block structure once, to split; rendering finishes those tokens (inline) instead of lexing again.
      expect(blockTokens.mock.calls.map((call) => call[0])).toEqual(['Tail grows']);
      expect(inlineTokens.mock.calls.map((call) => call[0])).toEqual(['Tail grows']);
      expect(lex).not.toHaveBeenCalled();
      expect(parser).toHaveBeenCalledTimes(1);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('shows a cursor after the text while streaming, and none after', () => {
    const { root, setText, setStreaming } = renderStreaming('');
    expect(root.querySelectorAll('.cursor')).toHaveLength(1);

    setText('Hello');
    let cursors = root.querySelectorAll('.cursor');
    expect(cursors).toHaveLength(1);
    expect(cursors[0].getAttribute('aria-hidden')).toBe('true');
    expect(cursors[0].parentElement?.tagName).toBe('P');

    setText('Hello\n\n- a\n- b');
    cursors = root.querySelectorAll('.cursor');
    expect(cursors).toHaveLength(1);
    const lastBlock = blocksOf(root).at(-1)!;
    expect(lastBlock.contains(cursors[0])).toBe(true);
    expect(cursors[0].closest('li')?.textContent).toBe('b');

    setStreaming(false);
    expect(root.querySelector('.cursor')).toBeNull();
    expect(root.textContent).toContain('Hello');
  });

  it('renders an unclosed fence at the tail as code, and closes it when the fence arrives', () => {
    const { root, setText, setStreaming } = renderStreaming('Intro\n\n```js\nconst x = 1;');
    let code = root.querySelector('pre > code')!;
    expect(code.textContent).toBe('const x = 1;');
    expect(root.querySelector('.code-language')?.textContent).toBe('js');

    setText('Intro\n\n```js\nconst x = 1;\nconst y = 2;');
    code = root.querySelector('pre > code')!;
    expect(code.textContent).toBe('const x = 1;\nconst y = 2;');

    setText('Intro\n\n```js\nconst x = 1;\nconst y = 2;\n```\n\nDone.');
    expect(root.querySelectorAll('pre')).toHaveLength(1);
    expect(root.querySelector('pre > code')?.textContent).toBe('const x = 1;\nconst y = 2;');
    expect(blocksOf(root).at(-1)?.querySelector('p')?.textContent).toBe('Done.');
    setStreaming(false);
  });
});

describe('Markdown: safety', () => {
  const attacks: Array<[string, string]> = [
    ['<script>alert(1)</script>', 'alert(1)'],
    ['<img src=x onerror=alert(1)>', 'img'],
    ['<svg onload=alert(1)>', 'svg'],
    ['<iframe src="javascript:alert(1)">', 'iframe'],
    ['[x](javascript:alert(1))', 'x'],
    ['[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)', 'x'],
    ['<a href="jAvAsCrIpT:alert(1)">x</a>', 'x'],
    ['<style>body{display:none}</style>', 'display'],
    ['<div style="position:fixed">x</div>', 'x'],
    ['<form action="https://evil"><input></form>', 'form'],
    ['![x](javascript:alert(1))', ''],
    ['<a href=" vbscript:msgbox(1)">x</a>', 'x'],
  ];

  for (const [attack, readable] of attacks) {
    it(`renders ${attack} inert`, () => {
      const root = renderMarkdown(`Before ${attack} after\n\n${attack}`);
      expect(root.querySelector('script, iframe, style, form, object, embed, svg, frame')).toBeNull();
      for (const element of root.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
          expect(attribute.name.toLowerCase().startsWith('on'), `${attribute.name} on <${element.tagName}>`).toBe(false);
          expect(attribute.name.toLowerCase()).not.toBe('style');
          if (['href', 'src', 'action', 'xlink:href'].includes(attribute.name.toLowerCase())) {
            expect(attribute.value.trim()).not.toMatch(/^(javascript|data|vbscript):/i);
          }
        }
      }
      expect(root.textContent).toContain('Before');
      expect(root.textContent).toContain(readable);
    });
  }

  it('shows an entity as the literal text it stands for', () => {
    const root = renderMarkdown('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(root.querySelector('script')).toBeNull();
    expect(root.textContent).toContain('<script>alert(1)</script>');
  });

  it('opens links in a new tab without an opener or referrer', () => {
    const root = renderMarkdown('See [the docs](https://example.com/docs) and https://example.org.');
    const links = root.querySelectorAll('a');
    expect(links).toHaveLength(2);
    for (const link of links) {
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    }
    expect(links[0].getAttribute('href')).toBe('https://example.com/docs');
  });
});

describe('Markdown: highlighting', () => {
  it('highlights a finished code block after it is shown', async () => {
    const root = renderMarkdown('```ts\nconst answer: number = 42;\n```');
    const code = root.querySelector('pre > code')!;
    // The first render does not wait for highlight.js.
    expect(code.querySelector('[class^="hljs-"]')).toBeNull();
    await vi.waitFor(() => expect(code.querySelector('[class^="hljs-"]')).not.toBeNull());
    expect(code.textContent).toBe('const answer: number = 42;');
  });

  it('leaves the streaming tail plain, and unknown languages plain', async () => {
    const { root, setStreaming } = renderStreaming(
      '```brainfuck\n++[>+<-]\n```\n\n```ts\nconst done = true;\n```\n\n```ts\nconst growing = 1',
    );
    const [unknown, finished, tail] = [...root.querySelectorAll('pre > code')];
    await vi.waitFor(() => expect(finished.querySelector('[class^="hljs-"]')).not.toBeNull());
    expect(tail.querySelector('[class^="hljs-"]')).toBeNull();
    expect(unknown.querySelector('span')).toBeNull();
    expect(unknown.textContent).toBe('++[>+<-]');

    setStreaming(false);
    await vi.waitFor(() => expect(tail.querySelector('[class^="hljs-"]')).not.toBeNull());
    expect(tail.textContent).toBe('const growing = 1');
  });
});
