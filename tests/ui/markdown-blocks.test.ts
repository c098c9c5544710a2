import { describe, expect, it } from 'vitest';
import { makeBlockSplitter } from '../../src/ui/markdown/blocks';

/** Feeds `text` to a fresh splitter one character at a time, as a stream would. */
function streamed(text: string) {
  const splitter = makeBlockSplitter();
  let split = splitter.split('');
  for (let end = 1; end <= text.length; end++) split = splitter.split(text.slice(0, end));
  return split;
}

describe('makeBlockSplitter', () => {
  it('settles blocks before a blank line and keeps the rest as the tail', () => {
    const splitter = makeBlockSplitter();
    expect(splitter.split('# A\n\npara')).toMatchObject({ blocks: ['# A\n\n', 'para'], settled: 1, definitions: {} });
    expect(splitter.split('# A\n\npara\nmore\n\n```\ncode').blocks).toEqual(['# A\n\n', 'para\nmore\n\n', '```\ncode']);
    expect(splitter.split('# A\n\npara\nmore\n\n```\ncode\n```\n').blocks).toEqual([
      '# A\n\n',
      'para\nmore\n\n',
      '```\ncode\n```\n',
    ]);
  });

  it('keeps a list open while a bare next number could still become its item (the issue)', () => {
    const splitter = makeBlockSplitter();
    expect(splitter.split('1. foo\n2')).toMatchObject({ blocks: ['1. foo\n2'], settled: 0 });
    expect(splitter.split('1. foo\n2.\n3. bar\n')).toMatchObject({ blocks: ['1. foo\n2.\n3. bar\n'], settled: 0 });
    expect(streamed('1. a\n\n2')).toMatchObject({ blocks: ['1. a\n\n2'], settled: 0 });
    expect(streamed('1. a\n\n2. b\n\n-')).toMatchObject({ blocks: ['1. a\n\n2. b\n\n-'], settled: 0 });
    expect(streamed('1. a\n\n2. b\n\nText')).toMatchObject({ blocks: ['1. a\n\n2. b\n\n', 'Text'], settled: 1 });
  });

  it('keeps a list open for an indented paragraph after a blank line', () => {
    expect(streamed('- a\n\n  more of a')).toMatchObject({ blocks: ['- a\n\n  more of a'], settled: 0 });
  });

  it('keeps a definition open for its title on the next line', () => {
    expect(streamed('[a]: https://a.example\n')).toMatchObject({ settled: 0 });
    expect(streamed('[a]: https://a.example\n"Title"\n\nx')).toMatchObject({
      blocks: ['[a]: https://a.example\n"Title"\n\n', 'x'],
      settled: 1,
      definitions: { a: { href: 'https://a.example', title: 'Title' } },
    });
  });

  it('keeps a fence open across blank lines until it closes', () => {
    expect(streamed('```\na\n\nb\n\nc')).toMatchObject({ blocks: ['```\na\n\nb\n\nc'], settled: 0 });
    expect(streamed('```\na\n\nb\n```\nc')).toMatchObject({ blocks: ['```\na\n\nb\n```\n', 'c'], settled: 1 });
  });

  it('keeps display math one open block until its closer', () => {
    expect(streamed('$$\n- a\n\\\\')).toMatchObject({ blocks: ['$$\n- a\n\\\\'], settled: 0 });
    expect(streamed('$$\n- a\n$$\nText')).toMatchObject({ blocks: ['$$\n- a\n$$\n', 'Text'], settled: 1 });
  });

  it('settles a heading as soon as anything follows it', () => {
    expect(streamed('# Title\nText')).toMatchObject({ blocks: ['# Title\n', 'Text'], settled: 1 });
  });

  it('collects every definition, settled or in the tail; the first of a label wins', () => {
    const { definitions } = streamed('[a]: /first\n\n[A]: /second\n\ntext\n\n[b]: /b "B"');
    expect(definitions).toEqual({ a: { href: '/first', title: undefined }, b: { href: '/b', title: 'B' } });
  });

  it('starts over when the text is replaced rather than extended', () => {
    const splitter = makeBlockSplitter();
    splitter.split('one\n\ntwo\n\nthree');
    expect(splitter.split('uno\n\ndos').blocks).toEqual(['uno\n\n', 'dos']);
    expect(splitter.split('uno').blocks).toEqual(['uno']);
    expect(splitter.split('uno\r\n\r\ndos').blocks).toEqual(['uno\n\n', 'dos']);
    expect(splitter.split('  \n').blocks).toEqual([]);
  });
});
