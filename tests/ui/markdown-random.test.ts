import { beforeAll, expect, it } from 'vitest';
import { makeBlockSplitter } from '../../src/ui/markdown/blocks';
import { loadKatex } from '../../src/ui/markdown/math-render';
import { markupOf } from '../../src/ui/markdown/render';
import { normalisedHtml, oneShotHtml, sanitizedHtml } from './markdown-dom';

/**
 * Beyond the corpus: documents put together at random from the lines where blocks start, end or
 * continue (bare numbers, bullets, fences, `$$`, definitions and titles, quotes, setext
 * underlines, HTML, indentation), joined by newlines, blank lines and spaces, streamed in
 * chunks of 1–4 characters. Seeded, so a failure names its document and repeats.
 */
const LINES = [
  '- a',
  '1. b',
  '2',
  '2.',
  '10)',
  '* c',
  '+ d',
  '  indented',
  '    code',
  '```',
  '~~~',
  '$$',
  '\\[',
  '\\]',
  'x^2',
  '[a]: /u',
  '"title"',
  '[a]',
  '[b][a]',
  '> q',
  '>',
  '# h',
  'Title',
  '===',
  '---',
  '***',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '<div>',
  '</div>',
  '<!--',
  '-->',
  '<pre>',
  '</pre>',
  'text',
  '*em*',
  '$x$',
  '- [ ] t',
  '\t- tab',
  '   - three',
  'para $$y$$ z',
];
const JOINS = ['\n', '\n', '\n\n', '\n\n', '\n \n', '\n\n\n', ' '];
const DOCUMENTS = 1500;

function makeRandom(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % below;
  };
}

beforeAll(() => loadKatex());

it(`streams ${DOCUMENTS} random documents exactly as they load`, () => {
  const random = makeRandom(2026);
  for (let document = 0; document < DOCUMENTS; document++) {
    let text = '';
    for (let count = 2 + random(10); count > 0; count--) text += LINES[random(LINES.length)] + JOINS[random(JOINS.length)];
    const loaded = makeBlockSplitter().split(text);
    const splitter = makeBlockSplitter();
    for (let end = 0, step = 1 + random(4); end < text.length; end += step) {
      const { blocks, settled } = splitter.split(text.slice(0, end));
      expect(blocks.slice(0, settled), JSON.stringify(text.slice(0, end))).toEqual(loaded.blocks.slice(0, settled));
    }
    expect(splitter.split(text).blocks, JSON.stringify(text)).toEqual(loaded.blocks);
    const blockByBlock = loaded.blocks.map((raw) => sanitizedHtml(markupOf(raw, loaded.definitions).html)).join('');
    expect(normalisedHtml(blockByBlock), JSON.stringify(text)).toBe(oneShotHtml(text));
  }
}, 120_000);
