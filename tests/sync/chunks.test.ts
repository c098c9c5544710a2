import { describe, expect, it } from 'vitest';
import { chunked } from '../../src/worker/sync/chunks';

const sizes = (chunks: Iterable<number[]>) => [...chunks].map((chunk) => chunk.join(','));

describe('chunks of records to seal', () => {
  it('holds at most so many records', () => {
    expect(sizes(chunked([0, 0, 0, 0, 0], (size) => size, 2, 100))).toEqual(['0,0', '0,0', '0']);
  });

  it('holds at most so many bytes of files: a first sync with many photos never seals them all at once', () => {
    expect(sizes(chunked([40, 40, 40, 0, 90, 10], (size) => size, 250, 100))).toEqual(['40,40', '40,0', '90,10']);
  });

  it('a file larger than a chunk goes alone, and nothing is left out', () => {
    expect(sizes(chunked([10, 500, 10], (size) => size, 250, 100))).toEqual(['10', '500', '10']);
    expect(sizes(chunked([], (size: number) => size))).toEqual([]);
  });
});
