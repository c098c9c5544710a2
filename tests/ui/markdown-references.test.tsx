import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { Markdown } from '../../src/ui/markdown/Markdown';
import { markdown } from '../../src/ui/markdown/parser';

afterEach(cleanup);

function renderStreaming(initial: string) {
  const [text, setText] = createSignal(initial);
  const result = render(() => <Markdown text={text()} streaming={true} />);
  const root = result.container.querySelector('.markdown') as HTMLElement;
  const blocks = () => [...root.querySelectorAll<HTMLElement>(':scope > .markdown-group > .markdown-block')];
  return { root, blocks, setText };
}

const CITED = 'Models cite [the docs][1] and ![a logo][logo].\n\nAn unrelated paragraph.\n\n';
const DEFINITIONS = '[1]: https://example.com/docs "The docs"\n[logo]: /logo.png\n';

describe('Markdown: reference links across blocks', () => {
  it('resolves a reference whose definition is in another block', () => {
    const root = render(() => <Markdown text={CITED + DEFINITIONS} />).container;
    const link = root.querySelector('a')!;
    expect(link.textContent).toBe('the docs');
    expect(link.getAttribute('href')).toBe('https://example.com/docs');
    expect(link.getAttribute('title')).toBe('The docs');
    expect(root.querySelector('img')?.getAttribute('src')).toBe('/logo.png');
    expect(root.textContent).not.toContain('[1]:');
  });

  it('re-renders a settled block when its reference resolves, and no other block', () => {
    const { blocks, setText } = renderStreaming(CITED + 'Tail');
    const [cited, unrelated] = blocks();
    expect(cited.querySelector('a')).toBeNull();
    expect(cited.textContent).toContain('[the docs][1]');
    const unrelatedParagraph = unrelated.querySelector('p')!;
    const parser = vi.spyOn(markdown, 'parser');
    try {
      setText(CITED + DEFINITIONS);
      expect(blocks()[0].querySelector('a')?.getAttribute('href')).toBe('https://example.com/docs');
      expect(blocks()[0].querySelector('img')?.getAttribute('src')).toBe('/logo.png');
      expect(blocks()[1].querySelector('p')).toBe(unrelatedParagraph);
      // The cited block once, the tail (the definitions) once; never the unrelated paragraph.
      expect(parser).toHaveBeenCalledTimes(2);

      // The definitions settle with the source they had as the tail: nothing is rendered twice.
      setText(CITED + DEFINITIONS + '\n');
      setText(CITED + DEFINITIONS + '\nMore text');
      expect(blocks()).toHaveLength(4);
      expect(blocks()[1].querySelector('p')).toBe(unrelatedParagraph);
      expect(parser).toHaveBeenCalledTimes(4);
    } finally {
      parser.mockRestore();
    }
  });

  it('takes a definition title on the next line once it has streamed in, not as text', () => {
    const text = '[a]: https://a.example\n"A title"\n[b]: https://b.example\n\nSee [a] and [b].';
    const { root, setText } = renderStreaming('');
    for (let end = 1; end <= text.length; end++) setText(text.slice(0, end));
    expect(root.textContent?.trim()).toBe('See a and b.');
    expect([...root.querySelectorAll('a')].map((link) => [link.getAttribute('href'), link.getAttribute('title')])).toEqual([
      ['https://a.example', 'A title'],
      ['https://b.example', null],
    ]);
  });
});
