import { afterEach, expect, it, vi } from 'vitest';
import { cleanup, render } from '@solidjs/testing-library';
import { Markdown } from '../../src/ui/markdown/Markdown';
import { katexLoaded } from '../../src/ui/markdown/math-render';

afterEach(cleanup);

// Its own file: KaTeX must not be loaded yet when it starts.
it('shows math as source until KaTeX arrives, then renders again only the blocks with math', async () => {
  expect(katexLoaded()).toBe(false);
  const text = 'A plain paragraph.\n\nWith $x^2$ inline.\n\n$$\n\\sqrt{y}\n$$\n\nThe end.';
  const root = render(() => <Markdown text={text} />).container.querySelector('.markdown')!;
  const blocks = [...root.querySelectorAll(':scope > .markdown-group > .markdown-block')];
  expect(blocks).toHaveLength(4);
  const [plain, inline, display, end] = blocks;
  expect(root.querySelector('math')).toBeNull();
  expect(inline.querySelector('.math-source')?.textContent).toBe('$x^2$');
  expect(display.querySelector('.math-source')?.textContent).toBe('$$\n\\sqrt{y}\n$$');
  const untouched = [plain.querySelector('p'), end.querySelector('p')];

  await vi.waitFor(() => expect(root.querySelectorAll('math')).toHaveLength(2), { timeout: 5000 });
  expect(katexLoaded()).toBe(true);
  expect(inline.querySelector('.math-source')).toBeNull();
  expect(display.querySelector('msqrt')).not.toBeNull();
  expect(plain.querySelector('p')).toBe(untouched[0]);
  expect(end.querySelector('p')).toBe(untouched[1]);
});
