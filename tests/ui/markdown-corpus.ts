import { tests as specExamples } from 'commonmark-spec';
import { markdownText } from '../fixtures/mock-llm-behaviours';
import { MATH_TEXT } from '../fixtures/mock-math-reply';

/** A markdown document for the streaming tests, named for the failure message. */
export interface CorpusDocument {
  name: string;
  text: string;
}

/** Every example of the CommonMark spec 0.31.2 (tabs are written as → there). */
export const commonmarkDocuments: CorpusDocument[] = specExamples.map((example) => ({
  name: `CommonMark ${example.number} (${example.section})`,
  text: example.markdown.replace(/→/g, '\t'),
}));

/** GitHub's extensions: tables, task lists, strikethrough, autolinks. */
export const gfmDocuments: CorpusDocument[] = [
  ['table', '| a | b |\n| --- | :-: |\n| 1 | 2 |\n| 3 | 4 |\n'],
  [
    'table with alignment and inline',
    '| Left | Centre | Right |\n|:-----|:------:|------:|\n| `x` | **y** | [z](https://z.example) |\n',
  ],
  ['table after a paragraph', 'Intro line\n| a | b |\n|---|---|\n| 1 | 2 |\nafter the table\n\nnext'],
  ['table without a body, then text', '| a |\n| - |\n\ntext'],
  ['table with escaped pipes', '| a | b |\n|---|---|\n| x \\| y | `c \\| d` |\n'],
  ['table rows lazily ended by a quote', '| a |\n|---|\n| 1 |\n> quote\n'],
  ['task list', '- [ ] todo\n- [x] done\n- [X] also done\n- not a task\n'],
  ['loose task list', '- [ ] first\n\n- [x] second\n\n  with a paragraph\n'],
  ['strikethrough', 'This is ~~gone~~ and ~also~ and ~~~not~~~ this.\n'],
  ['autolinks', 'See www.example.com, https://example.org/a_(b) and mail@example.com.\n'],
  ['autolink after a tag', '<a href="https://x.example">\n\nhttps://example.com is a link\n'],
  ['autolink after an inline tag', 'An <a href="https://x.example"> left open\n\nhttps://example.com is a link\n'],
  ['preformatted tag left open', 'A <pre> and *emphasis*\n\n*more* after\n'],
  ['html block then text', '<div>\n*not emphasis*\n</div>\n\n*emphasis*\n'],
].map(([name, text]) => ({ name: `GFM: ${name}`, text }));

const LONG_LIST = Array.from({ length: 24 }, (_, index) => `${index + 1}. Item number ${index + 1} with \`code\``).join('\n');
const LOOSE_LIST = Array.from(
  { length: 12 },
  (_, index) => `${index + 1}. Step ${index + 1}\n\n   Details for step ${index + 1}.`,
).join('\n\n');

/** Replies shaped like a model's: the constructs that split or join across batches. */
export const replyDocuments: CorpusDocument[] = [
  ['the issue: a list whose next number arrives alone', '1. foo\n2.\n3. bar\n'],
  ['a long tight list', `Here is the list:\n\n${LONG_LIST}\n\nThat is all.`],
  ['a long loose list', `Steps:\n\n${LOOSE_LIST}\n\nDone.`],
  [
    'nested lists',
    '- Fruit\n  - Apple\n  - Pear\n    1. Conference\n    2. Williams\n- Vegetables\n\n  Leafy ones:\n\n  - Kale\n- Grains\n\nAfter.',
  ],
  ['a list then a paragraph and a new list', '- a\n- b\n\nText between.\n\n- c\n- d\n\n1. one\n\n2. two\n\n* star\n\n+ plus\n'],
  ['list items separated by blank lines and an indented code', '1. First\n\n       code in item\n\n2. Second\n\n3. Third\n'],
  ['quotes', '> A quote\n> over two lines\n\n> Another quote\nwith a lazy line\n\n> - a list in a quote\n> - two\n\nPlain.'],
  ['nested quote with code', '> Outer\n>\n> > Inner\n>\n> ```js\n> const a = 1;\n> ```\n\nEnd.'],
  ['setext headings', 'Title\n=====\n\nSubtitle\n--------\n\nA paragraph\nover lines\n---\n\n***\n\nText'],
  [
    'fences opening and closing across batches',
    'Before\n\n```python\ndef f():\n\n    return 1\n```\n\n~~~\nfour\n\n~~~\n\n````md\n```\ninner\n```\n````\n\nAfter\n```\nunclosed at the end\n\nstill code',
  ],
  ['a fence right after a paragraph', 'Run this:\n```bash\nnpm test\n```\nthen look.\n'],
  [
    'reference links across blocks',
    'See [the docs][1] and [the spec][spec], and ![a logo][logo].\n\n' +
      '- [a collapsed one][]\n- [Spec]\n\n' +
      '[1]: https://example.com/docs "The docs"\n' +
      '[spec]: https://spec.example\n' +
      '  "The spec"\n' +
      '[logo]: /logo.png\n' +
      '[a collapsed one]: <https://example.com/a b>\n',
  ],
  [
    'a definition used before and after, defined twice',
    '[x] first use\n\nText\n\n[x]: https://first.example\n\n[x]: https://second.example\n\nAgain [x] and [y].\n\n[y]: https://y.example',
  ],
  ['definitions inside a quote and a list', '> [q]: https://quote.example\n\n- [l]: https://list.example\n\nUse [q] and [l].'],
  ['a definition title on the next line', '[a]: https://a.example\n"Title A"\n[b]: https://b.example\n\n[a] [b]'],
  ['html comment spanning blank lines', 'Before\n\n<!-- a comment\n\nstill the comment -->\n\nAfter'],
  ['indented code then text', '    code line\n\n    more code\n\nText\n\n    code again'],
  ['headings without blank lines', '# One\nText under one\n## Two\nText under two\n### Three\n- a list\n#### Four'],
  ['thematic breaks and lists', '- a\n- b\n\n---\n\n- c\n\n* * *\n\nEnd'],
  ['emphasis across lines', 'A *long emphasis\nacross lines* and **strong\ntext** done.\n\nNext _one_.'],
  ['hard breaks', 'Line one  \nline two\\\nline three\n\nDone.'],
  ['empty list items and numbers alone', '1.\n2. b\n\n-\n- c\n\n3\n\n10) ten\n11) eleven'],
  [
    'html blocks and tables across blank lines',
    '<pre>\na\n\nb\n</pre>\n\nafter\n\n| a |\n|---|\n| 1 |\n\n| 2 |\n\n<div>\nx\n\ny\n</div>\n\nend',
  ],
  ['lists followed by numbers', '- a\n\n2024 was a year.\n\n1. x\n\n2) y\n\n3) z\n\n4.5 is a number\n\n- b\n---\n- c'],
  ['a space at the very end', 'Text\n\n10) '],
  ['raw html shown as text', 'A <b>bold</b> tag and <script>alert(1)</script>\n\n<div>\nblock\n</div>\n\nEnd'],
  // Long enough for two groups of blocks.
  ['the markdown tour of the bench, twice', markdownText(700)],
].map(([name, text]) => ({ name: `Reply: ${name}`, text }));

/** TeX math in the forms models write, with the prices and code that must stay text. */
export const mathDocuments: CorpusDocument[] = [
  ['inline dollars', 'Einstein wrote $E = mc^2$, and $a^*$ and $b^*$ stay math.\n'],
  ['prices stay text', 'It costs $5 and $10, or $20,000 to $30,000; US$5 too.\n'],
  ['a formula then a price', 'Let $x$ be the cost; it is $3 each.\n'],
  ['display math block', 'The integral:\n\n$$\n\\int_0^1 x^2 \\, dx = \\frac{1}{3}\n$$\n\nSo it is a third.'],
  ['display math interrupting a paragraph', 'We have\n$$\na^2 + b^2 = c^2\n$$\nfor a right triangle.'],
  [
    'bracket delimiters',
    'Inline \\(\\alpha + \\beta\\) and display:\n\n\\[\n\\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6}\n\\]\n',
  ],
  ['display math in a paragraph line', 'So $$x = 1$$ on one line, and \\[y = 2\\] too.'],
  ['math lines that look like markdown', '$$\n- x + y\n+ z\n> w\n1. v\n---\n$$\n\nAfter.'],
  ['math in lists and quotes', '1. First $x_1$\n2. Then\n   $$\n   x_2 = x_1^2\n   $$\n\n> Quoted $\\sqrt{2}$'],
  ['math in code stays code', 'Code `$x$` and\n\n```\n$$\nnot math\n$$\n```\n\n$y$'],
  ['escaped dollars', 'An escaped \\$5 and \\$x\\$ are text; $\\$$ is a dollar in math.'],
  ['emphasis next to math', '*A $a*b$ c* and _x $y_1$ z_ and ~~$a~b$~~.'],
  ['a formula KaTeX cannot parse', 'Broken: $\\frac{1}{$ and\n\n$$\n\\begin{matrix} a \\end{nope}\n$$\n'],
  ['unclosed display math at the end', 'Text\n\n$$\nx + y\n- still math'],
  ['a blank line ends a would-be formula', '$$\nx\n\ny\n$$'],
  ['math in a table', '| f | value |\n|---|---|\n| $x^2$ | $4$ |\n'],
  ['the reply of the mock-math model', MATH_TEXT],
].map(([name, text]) => ({ name: `Math: ${name}`, text }));

export const allDocuments: CorpusDocument[] = [...commonmarkDocuments, ...gfmDocuments, ...replyDocuments, ...mathDocuments];
