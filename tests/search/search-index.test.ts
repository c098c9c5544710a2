/**
 * The index and the snippet on their own: what a query finds (prefix, typos, accents), in what
 * order, and which words of the snippet are marked.
 */
import { describe, expect, it } from 'vitest';
import { SearchIndex } from '../../src/worker/search/search-index';
import { makeSnippet } from '../../src/worker/search/snippet';

function indexOf(texts: Record<string, string>, conversationOf: (id: string) => string = () => 'c1'): SearchIndex {
  const index = new SearchIndex();
  for (const [id, content] of Object.entries(texts)) index.put({ id, conversationId: conversationOf(id), content });
  return index;
}

const found = (index: SearchIndex, query: string) => index.query(query, 50).hits.map((hit) => hit.messageId);

describe('search index', () => {
  const index = indexOf({
    sourdough: 'My sourdough starter smells like acetone',
    database: 'Index the database queries before the migration',
    data: 'The data is in the data folder',
    cafe: 'Meet me at the Café Lusitano',
    gears: 'Why does my chain skip on the smallest cog?',
  });

  it('finds words as they are being typed (every word a prefix)', () => {
    expect(found(index, 'sourd')).toEqual(['sourdough']);
    expect(found(index, 'datab que')).toEqual(['database']);
    expect(found(index, 'cha sk')).toEqual(['gears']);
  });

  it('forgives a typo in a word of four letters or more', () => {
    expect(found(index, 'sourduogh')).toEqual(['sourdough']);
    expect(found(index, 'migraton')).toEqual(['database']);
    // Three letters must be exact (or a prefix): "cog" finds the cog, "cig" nothing.
    expect(found(index, 'cig')).toEqual([]);
    // A filter asks for exact words and prefixes only.
    expect(index.query('sourduogh', 50, false).hits).toEqual([]);
  });

  it('ignores case and accents', () => {
    expect(found(index, 'CAFE lusitano')).toEqual(['cafe']);
    expect(found(index, 'café')).toEqual(['cafe']);
  });

  it('needs every word: a query is narrowed, not widened, by typing more', () => {
    expect(found(index, 'data')).toEqual(['data', 'database']);
    expect(found(index, 'data folder')).toEqual(['data']);
  });

  it('ranks an exact word above a word it only begins, and a focused message above a long one', () => {
    expect(found(index, 'data')[0]).toBe('data');
    const ranking = indexOf({
      long: `tram ${'and then we walked along the river for a long while '.repeat(8)}`,
      short: 'Tram 28 through Alfama',
      twice: 'The tram, the old yellow tram',
    });
    expect(found(ranking, 'tram')).toEqual(['twice', 'short', 'long']);
  });

  it('shows at most three messages of one conversation, but names every matching conversation', () => {
    const crowded = indexOf(
      Object.fromEntries(Array.from({ length: 6 }, (_, position) => [`m${position}`, `lisbon note ${position}`])),
      (id) => (id === 'm5' ? 'c2' : 'c1'),
    );
    const result = crowded.query('lisbon', 50);
    expect(result.hits.filter((hit) => hit.conversationId === 'c1')).toHaveLength(3);
    expect(result.hits.map((hit) => hit.messageId)).toContain('m5');
    expect(result.conversationIds.sort()).toEqual(['c1', 'c2']);
  });

  it('replaces a message put again, and forgets removed messages and conversations', () => {
    const live = indexOf({ a: 'first draft', b: 'other words' }, (id) => (id === 'b' ? 'c2' : 'c1'));
    live.put({ id: 'a', conversationId: 'c1', content: 'second version' });
    expect(found(live, 'draft')).toEqual([]);
    expect(found(live, 'second')).toEqual(['a']);
    live.remove('a');
    expect(found(live, 'second')).toEqual([]);
    live.removeConversation('c2');
    expect(found(live, 'other')).toEqual([]);
    expect(live.size).toBe(0);
  });

  it('puts a word being typed before a typo, and returns the index terms each hit matched, for highlighting', () => {
    const [first, second] = index.query('datab', 5).hits;
    expect(first).toMatchObject({ messageId: 'database', terms: ['database'] });
    expect(second).toMatchObject({ messageId: 'data', terms: ['data'] });
  });
});

describe('snippet', () => {
  it('marks every matched word, whatever its case or accents', () => {
    const snippet = makeSnippet('Meet me at the CAFÉ, the café by the tram.', new Set(['cafe']));
    expect(snippet.text).toBe('Meet me at the CAFÉ, the café by the tram.');
    expect(snippet.matches.map(({ start, end }) => snippet.text.slice(start, end))).toEqual(['CAFÉ', 'café']);
  });

  it('cuts a long message around the matches, at word boundaries, with ellipses', () => {
    const content = `${'alpha beta gamma delta '.repeat(20)}the sardines of Alfama are grilled outside ${'epsilon zeta eta '.repeat(20)}`;
    const snippet = makeSnippet(content, new Set(['sardines', 'alfama']));
    expect(snippet.text.startsWith('…')).toBe(true);
    expect(snippet.text.endsWith('…')).toBe(true);
    expect(snippet.text.length).toBeLessThanOrEqual(162);
    expect(snippet.matches.map(({ start, end }) => snippet.text.slice(start, end))).toEqual(['sardines', 'Alfama']);
    // Whole words at both cuts.
    expect(snippet.text).toMatch(/^…(alpha|beta|gamma|delta) /);
    expect(snippet.text).toMatch(/ (epsilon|zeta|eta)…$/);
  });

  it('is one line of plain text: Markdown marks and line breaks are gone, offsets still right', () => {
    const snippet = makeSnippet('# Plan\n\n- **Day one**: `Alfama`\n\n```js\nconst tram = 28;\n```', new Set(['tram', 'alfama']));
    expect(snippet.text).toBe('Plan Day one: Alfama const tram = 28;');
    expect(snippet.matches.map(({ start, end }) => snippet.text.slice(start, end))).toEqual(['Alfama', 'tram']);
  });
});
