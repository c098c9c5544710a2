import { describe, expect, it } from 'vitest';
import { makeOverlapFilter, MIN_OVERLAP_AFTER_SPACE, seamWhitespace, TAIL_LENGTH } from '../../src/worker/session/overlap-filter';

/** Feed `chunks` one by one; returns every release (to see what was shown when) and the joined text. */
function run(partial: string, chunks: string[]) {
  const filter = makeOverlapFilter(partial);
  const releases = chunks.map((chunk) => filter.push(chunk));
  releases.push(filter.end());
  return { releases, text: partial + releases.join('') };
}

/** Every chunk size from 1 to 7 characters: the answer must not depend on how the text is cut. */
function inPieces(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += size) pieces.push(text.slice(index, index + size));
  return pieces;
}

const WHOLE = 'The quick brown fox jumps over the lazy dog. Then it runs home, tired and happy.';

describe('the overlap filter', () => {
  const cases: Array<[name: string, partial: string, continuation: string]> = [
    ['an exact continuation', 'The quick brown fox jumps over the lazy dog. Then it', ' runs home, tired and happy.'],
    ['a continuation mid-word', 'The quick brown fox jumps over the la', 'zy dog. Then it runs home, tired and happy.'],
    [
      'a repeat of the last sentence',
      'The quick brown fox jumps over the lazy dog. Then it ru',
      'Then it runs home, tired and happy.',
    ],
    ['a repeat of the cut word', 'The quick brown fox jumps over the laz', 'lazy dog. Then it runs home, tired and happy.'],
    ['a model that starts over', 'The quick brown fox jumps over', WHOLE],
    ['a start over after a trailing space', 'The quick brown fox jumps ', WHOLE],
    [
      'a repeat with other whitespace',
      'The quick brown fox jumps over the lazy dog. Then it',
      'the  lazy\ndog. Then it runs home, tired and happy.',
    ],
  ];
  for (const [name, partial, continuation] of cases) {
    it(`${name}: the text appears once, however the chunks are cut`, () => {
      for (let size = 1; size <= 7; size++) {
        const { text } = run(partial, inPieces(continuation, size));
        expect(text.replace(/\s+/g, ' ')).toBe(WHOLE);
      }
    });
  }

  it('holds a repeat back while it matches, so no duplicate is ever shown', () => {
    const partial = 'First. Second sentence is here. Third one st';
    const { releases } = run(partial, ['Third ', 'one ', 'starts ', 'now.']);
    expect(releases).toEqual(['', '', 'arts ', 'now.', '']);
  });

  it('releases at once when the continuation cannot be a repeat', () => {
    const { releases } = run('Hello there, friend', ['! How ', 'are you?']);
    expect(releases).toEqual(['! How ', 'are you?', '']);
  });

  it('keeps a real next word that merely starts like the last one', () => {
    // "the" + " theatre": a new word after a space is not a repeat of "the".
    expect(run('I went to the', [' theatre today.']).text).toBe('I went to the theatre today.');
    // …unless the repeat is long enough to be one.
    const partial = 'We met at the old theatre';
    const repeat = ' at the old theatre, then we left.';
    expect(repeat.replace(/\s/g, '').length).toBeGreaterThan(MIN_OVERLAP_AFTER_SPACE);
    expect(run(partial, [repeat]).text).toBe('We met at the old theatre, then we left.');
  });

  it('does not drop one or two letters that happen to match (a repeat that short stays)', () => {
    expect(run('Pick a', ['nother one.']).text).toBe('Pick another one.');
    expect(run('Go to', ['morrow.']).text).toBe('Go tomorrow.');
  });

  it('a start over stopped again before it got past the partial adds nothing', () => {
    const { text } = run('The quick brown fox jumps over', ['The quick ', 'brown']);
    expect(text).toBe('The quick brown fox jumps over');
  });

  it('a start over longer than the tail is still caught', () => {
    const long = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
    expect(long.replace(/\s/g, '').length).toBeGreaterThan(TAIL_LENGTH);
    const { text } = run(long, inPieces(`${long} and the end.`, 50));
    expect(text).toBe(`${long} and the end.`);
  });

  it('does not double the whitespace at the seam, and keeps a paragraph break', () => {
    expect(run('Hello ', [' world']).text).toBe('Hello world');
    expect(run('First paragraph.', ['\n\nSecond.']).text).toBe('First paragraph.\n\nSecond.');
    expect(run('First paragraph.\n', ['\n\nSecond.']).text).toBe('First paragraph.\n\nSecond.');
    expect(run('Line one. ', ['\n\nNext.']).text).toBe('Line one. \n\nNext.');
  });

  it('passes everything through for an empty partial', () => {
    expect(run('', ['Hello', ' world']).releases).toEqual(['Hello', ' world', '']);
  });

  it('the seam keeps what the partial lacks and drops what it already has', () => {
    expect(seamWhitespace('', ' ')).toBe(' ');
    expect(seamWhitespace(' ', ' ')).toBe('');
    expect(seamWhitespace('\n', '\n\n')).toBe('\n');
    expect(seamWhitespace('\n\n', '\n')).toBe('');
    expect(seamWhitespace(' ', '\n\n')).toBe('\n\n');
  });
});
