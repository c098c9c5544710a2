import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { Markdown } from '../../src/ui/markdown/Markdown';
import { loadKatex } from '../../src/ui/markdown/math-render';
import { mathAt } from '../../src/ui/markdown/math-syntax';
import { sanitizedHtml } from './markdown-dom';

beforeAll(() => loadKatex());
afterEach(cleanup);

function renderMarkdown(text: string): HTMLElement {
  return render(() => <Markdown text={text} />).container.querySelector('.markdown')!;
}

/** The TeX of each typeset formula, from the annotation KaTeX keeps in its MathML. */
function formulas(root: Element): string[] {
  return [...root.querySelectorAll('.math annotation[encoding="application/x-tex"]')].map(
    (annotation) => annotation.textContent!,
  );
}

describe('math delimiters', () => {
  const cases: Array<[string, string | undefined]> = [
    ['$x$', 'x'],
    ['$a + b$ then', 'a + b'],
    ['$$x$$', 'x'],
    ['\\(x\\)', 'x'],
    ['\\[x\\]', 'x'],
    ['$5 and $10', undefined], // the closing $ follows a space
    ['$5 and 10$ later', '5 and 10'], // pandoc would say math too
    ['$ x$', undefined], // the opening $ is followed by a space
    ['$x $', undefined], // the closing $ follows a space
    ['$x$5', undefined], // the closing $ is followed by a digit
    ['$x\\$y$', 'x\\$y'], // an escaped dollar does not close
    ['$x', undefined], // unfinished
    ['$$x', undefined],
    ['\\(x', undefined],
    ['$$\n\n$$', undefined],
  ];
  for (const [source, tex] of cases) {
    it(`${JSON.stringify(source)} → ${tex === undefined ? 'text' : JSON.stringify(tex)}`, () => {
      expect(mathAt(source)?.tex).toBe(tex);
    });
  }
});

describe('Markdown: math', () => {
  it('typesets inline and display math as MathML, keeping the TeX in an annotation', () => {
    const root = renderMarkdown('Inline $E = mc^2$ and \\(\\alpha\\).\n\n$$\n\\frac{1}{2}\n$$\n\n\\[\nx^2\n\\]');
    expect(formulas(root)).toEqual(['E = mc^2', '\\alpha', '\\frac{1}{2}', 'x^2']);
    expect(root.querySelectorAll('p .math-inline math:not([display])')).toHaveLength(2);
    const display = root.querySelectorAll('div.math-display math[display="block"]');
    expect(display).toHaveLength(2);
    expect(display[0].querySelector('mfrac')).not.toBeNull();
    expect(display[0].namespaceURI).toBe('http://www.w3.org/1998/Math/MathML');
  });

  it('keeps prices, code spans, fences and escaped dollars as text', () => {
    const root = renderMarkdown('It costs $5 and $10, or \\$3.\n\nCode `$x$` stays.\n\n```\n$$\ny\n$$\n```');
    expect(root.querySelector('.math')).toBeNull();
    expect(root.textContent).toContain('It costs $5 and $10, or $3.');
    expect(root.querySelector('p code')?.textContent).toBe('$x$');
    expect(root.querySelector('pre code')?.textContent).toBe('$$\ny\n$$');
  });

  it('does not pair emphasis with stars and underscores inside a formula', () => {
    const root = renderMarkdown('Both $a^*$ and $b^*$, and $x_1$ then $y_1$.');
    expect(root.querySelector('em')).toBeNull();
    expect(formulas(root)).toEqual(['a^*', 'b^*', 'x_1', 'y_1']);
  });

  it('shows a formula KaTeX cannot parse as its source, with the reason as a hint', () => {
    const root = renderMarkdown('Broken $\\frac{1}{$ here.');
    const formula = root.querySelector('.math')!;
    expect(formula.textContent).toBe('$\\frac{1}{$');
    expect(formula.querySelector('math')).toBeNull();
    expect(formula.getAttribute('title')).toMatch(/^This formula could not be typeset: .*end of input/);
    expect(formula.getAttribute('aria-description')).toBe(formula.getAttribute('title'));
    expect(root.querySelector('.katex-error, [style]')).toBeNull();
  });

  it('shows an unfinished formula as its source while it streams, then typesets it', () => {
    const [text, setText] = createSignal('Sum:\n\n$$\n\\sum_{i=1}^n');
    const root = render(() => <Markdown text={text()} streaming={true} />).container;
    expect(root.querySelector('.math-error, math')).toBeNull();
    expect(root.querySelector('.math-open')?.textContent).toBe('$$\n\\sum_{i=1}^n');
    setText('Sum:\n\n$$\n\\sum_{i=1}^n i\n$$');
    expect(formulas(root)).toEqual(['\\sum_{i=1}^n i']);
    setText('Inline $x^');
    expect(root.textContent?.trim()).toBe('Inline $x^');
  });

  it('lets the sanitiser keep MathML but nothing that runs or styles', () => {
    const html = sanitizedHtml(
      '<math><semantics><mrow><mi href="javascript:alert(1)" style="color:red" onclick="alert(1)">x</mi></mrow>' +
        '<annotation encoding="application/x-tex">x</annotation>' +
        '<annotation-xml encoding="text/html"><img src=x onerror="alert(1)"></annotation-xml></semantics>' +
        '<maction actiontype="statusline"><mi>y</mi></maction></math>',
    );
    const container = document.createElement('div');
    container.innerHTML = html;
    expect(container.querySelector('math semantics mrow mi')?.textContent).toBe('x');
    expect(container.querySelector('annotation')?.textContent).toBe('x');
    expect(container.querySelector('annotation-xml, img, maction, [style], [onclick], [href]')).toBeNull();
  });

  it('keeps KaTeX macros that could link or style inert', () => {
    const root = renderMarkdown('$\\href{javascript:alert(1)}{x} \\htmlStyle{color:red}{y} \\url{https://e.example}$');
    expect(root.querySelector('[href], [style], a')).toBeNull();
  });
});

describe('Markdown: copying math', () => {
  function copySelection(root: Element, from: [Node, number], to: [Node, number]) {
    const range = document.createRange();
    range.setStart(...from);
    range.setEnd(...to);
    document.getSelection()!.removeAllRanges();
    document.getSelection()!.addRange(range);
    const data = new Map<string, string>();
    const event = new Event('copy', { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'clipboardData', { value: { setData: (type: string, value: string) => data.set(type, value) } });
    root.dispatchEvent(event);
    return { data, prevented: event.defaultPrevented };
  }

  it('copies each formula as its TeX, even when the selection starts inside one', () => {
    const root = renderMarkdown('With $x^2$ inline.\n\n$$\n\\frac{a}{b}\n$$\n\nAfter.');
    const inside = root.querySelector('.math-inline mi')!.firstChild!;
    const after = [...root.querySelectorAll('p')].at(-1)!.firstChild!;
    const { data, prevented } = copySelection(root, [inside, 0], [after, 5]);
    expect(prevented).toBe(true);
    expect(data.get('text/plain')).toBe('$x^2$ inline.\n$$\\frac{a}{b}$$\nAfter');
    expect(data.get('text/html')).toContain('$x^2$');
    expect(data.get('text/html')).not.toContain('<math');
  });

  it('leaves a selection without typeset math to the browser', () => {
    const root = renderMarkdown('Just text, $5 and $10.');
    const text = root.querySelector('p')!.firstChild!;
    const { data, prevented } = copySelection(root, [text, 0], [text, 9]);
    expect(prevented).toBe(false);
    expect(data.size).toBe(0);
  });
});
