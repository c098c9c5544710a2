import { markdown } from './parser';

/** Splits growing markdown into top-level blocks, re-lexing only what can still change. */
export interface BlockSplitter {
  /** The raw source of each top-level block, in order; joined they are the text minus blank gaps. */
  split(text: string): string[];
}

/**
 * A plain splitter with memory of the last call. While a reply streams, text only grows at the
 * end, and only the last block can still change (a paragraph gains a line, a list an item, an
 * open fence its close). So every block before the last is kept, and the lexer runs again only
 * from where the last block starts — each delta costs the size of the tail, not of the reply.
 * If the text is replaced rather than extended, it starts over.
 */
export function makeBlockSplitter(): BlockSplitter {
  let settled: string[] = [];
  let settledSource = '';

  const lexTail = (text: string): string[] => {
    const tokens = markdown.lexer(text.slice(settledSource.length));
    let lastBlock = -1;
    tokens.forEach((token, index) => {
      if (token.type !== 'space') lastBlock = index;
    });

    const fresh: string[] = [];
    let lastBlockStart = settledSource.length;
    tokens.forEach((token, index) => {
      if (token.type !== 'space') fresh.push(token.raw);
      if (index < lastBlock) lastBlockStart += token.raw.length;
    });

    // Everything before the last block is final: keep it for the next call.
    if (fresh.length > 1) {
      settled = settled.concat(fresh.slice(0, -1));
      settledSource = text.slice(0, lastBlockStart);
    }
    return fresh;
  };

  const reset = () => {
    settled = [];
    settledSource = '';
  };

  return {
    split(input) {
      const text = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
      if (!text.startsWith(settledSource)) reset();
      let fresh = lexTail(text);
      // The tail was cut back to nothing: the kept blocks are no longer known to be final.
      if (fresh.length === 0 && settled.length > 0) {
        reset();
        fresh = lexTail(text);
      }
      return fresh.length > 0 ? settled.concat(fresh.slice(-1)) : [];
    },
  };
}
