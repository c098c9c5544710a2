/**
 * Local reasoning models (DeepSeek-R1 distills, Qwen3, … through Ollama, LM Studio or llama.cpp
 * without a reasoning parser) write their reasoning into the answer itself, between `<think>` and
 * `</think>`. This splits it back out of the content as it streams, so it is shown as reasoning and
 * never as the answer. Tags may arrive cut across chunks (`<th` + `ink>`): a piece that could still
 * become a tag is held until the next chunk says.
 *
 * Only a block that opens the answer (whitespace before it allowed) is reasoning: once the answer
 * has started, `<think>` is just text (a model explaining the tag must be able to write it).
 */

/** What a piece of content turned out to be. */
export interface ContentParts {
  text: string;
  reasoning: string;
}

export interface ThinkTagSplitter {
  /** Feed content as it arrives. */
  push(content: string): ContentParts;
  /** The stream ended: whatever is held (an unclosed block stays reasoning). */
  end(): ContentParts;
}

const OPEN = '<think>';
const CLOSE = '</think>';

/** The length of the longest end of `text` that is the start of `tag`. */
function partialTagAtEnd(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (tag.startsWith(text.slice(-length))) return length;
  }
  return 0;
}

export function makeThinkTagSplitter(): ThinkTagSplitter {
  /** before: nothing but whitespace yet; thinking: inside the block; after: just closed; answer: plain text. */
  let state: 'before' | 'thinking' | 'after' | 'answer' = 'before';
  let held = '';

  const push = (content: string): ContentParts => {
    const parts: ContentParts = { text: '', reasoning: '' };
    held += content;
    for (;;) {
      if (state === 'answer') {
        parts.text += held;
        held = '';
        return parts;
      }
      if (state === 'before') {
        const start = held.trimStart();
        if (start.startsWith(OPEN)) {
          held = start.slice(OPEN.length);
          state = 'thinking';
          continue;
        }
        if (OPEN.startsWith(start)) return parts; // nothing yet, or a tag still arriving
        state = 'answer';
        continue;
      }
      if (state === 'thinking') {
        const close = held.indexOf(CLOSE);
        if (close >= 0) {
          parts.reasoning += held.slice(0, close);
          held = held.slice(close + CLOSE.length);
          state = 'after';
          continue;
        }
        const keep = partialTagAtEnd(held, CLOSE);
        parts.reasoning += held.slice(0, held.length - keep);
        held = held.slice(held.length - keep);
        return parts;
      }
      // after: the blank lines between the block and the answer belong to neither.
      held = held.trimStart();
      if (!held) return parts;
      state = 'answer';
    }
  };

  return {
    push,
    end() {
      const rest = held;
      held = '';
      if (state === 'thinking') return { text: '', reasoning: rest };
      return state === 'after' ? { text: '', reasoning: '' } : { text: rest, reasoning: '' };
    },
  };
}
