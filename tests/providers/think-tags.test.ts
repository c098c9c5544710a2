import { describe, expect, it } from 'vitest';
import { makeThinkTagSplitter, type ContentParts } from '../../src/worker/providers/think-tags';

function split(chunks: string[]): { parts: ContentParts[]; text: string; reasoning: string } {
  const splitter = makeThinkTagSplitter();
  const parts = chunks.map((chunk) => splitter.push(chunk));
  parts.push(splitter.end());
  return {
    parts,
    text: parts.map((part) => part.text).join(''),
    reasoning: parts.map((part) => part.reasoning).join(''),
  };
}

describe('<think> blocks in the content', () => {
  const stream = '<think>\nThe user greets me. Reply kindly.\n</think>\n\nHello! How can I help?';

  it('become reasoning, whatever the chunk boundaries (tags cut anywhere)', () => {
    for (let size = 1; size <= stream.length; size++) {
      const chunks: string[] = [];
      for (let index = 0; index < stream.length; index += size) chunks.push(stream.slice(index, index + size));
      const { text, reasoning } = split(chunks);
      expect(reasoning).toBe('\nThe user greets me. Reply kindly.\n');
      expect(text).toBe('Hello! How can I help?');
    }
  });

  it('the split tag <th + ink> is held, not shown as text', () => {
    const { parts } = split(['<th', 'ink>Hm', 'm.</th', 'ink>Yes.']);
    expect(parts[0]).toEqual({ text: '', reasoning: '' });
    expect(parts[1]).toEqual({ text: '', reasoning: 'Hm' });
    expect(parts[2]).toEqual({ text: '', reasoning: 'm.' });
    expect(parts[3]).toEqual({ text: 'Yes.', reasoning: '' });
  });

  it('content without a block passes straight through, "<" included', () => {
    expect(split(['Hello', ' world']).parts.map((part) => part.text)).toEqual(['Hello', ' world', '']);
    expect(split(['<b>bold</b>']).text).toBe('<b>bold</b>');
    expect(split(['<', 'thin ice']).text).toBe('<thin ice');
  });

  it('a <think> after the answer started is text', () => {
    expect(split(['Use the ', '<think>', ' tag.']).text).toBe('Use the <think> tag.');
  });

  it('an unclosed block (stopped while thinking) stays reasoning', () => {
    expect(split(['<think>Still thin', 'king'])).toMatchObject({ text: '', reasoning: 'Still thinking' });
  });
});
