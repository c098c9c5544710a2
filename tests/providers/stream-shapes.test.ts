/**
 * Real providers' stream shapes, each written out chunk by chunk in the scripted mock and read by
 * the real SDK: reasoning in `<think>` tags, errors inside a 200 stream, a 400 for
 * `stream_options` or for a prefill, keep-alive comments while a model is queued.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorInfo, Provider } from '../../src/shared/protocol';
import { CONTINUE_INSTRUCTION } from '../../src/worker/providers/chat-request';
import { makeOpenAIClient, streamChat, type ChatRequest, type StreamDelta } from '../../src/worker/providers/client';
import { classifyProviderError } from '../../src/worker/providers/errors';
import { startMockLlm, type MockLlm } from '../fixtures/mock-llm';
import { delta, DONE, usageChunk, type ScriptStep } from '../fixtures/mock-llm-script';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => mock.reset());

function provider(overrides: Partial<Provider> = {}): Provider {
  return { id: 'p1', presetId: 'custom', name: 'Mock', baseURL: mock.url, enabled: true, createdAt: 0, ...overrides };
}

/** Stream one request; what arrived, how it ended, or the classified failure. */
async function run(
  request: Partial<ChatRequest> & { model: string },
  options: { stallTimeoutMs?: number; target?: Provider } = {},
) {
  const target = options.target ?? provider();
  const deltas: StreamDelta[] = [];
  const text = () => deltas.map((entry) => entry.text).join('');
  const reasoning = () => deltas.map((entry) => entry.reasoning).join('');
  try {
    const outcome = await streamChat(
      makeOpenAIClient(target),
      { turns: [{ role: 'user', content: 'hello' }], ...request },
      {
        signal: new AbortController().signal,
        stallTimeoutMs: options.stallTimeoutMs ?? 2000,
        onDelta: (entry) => deltas.push(entry),
      },
    );
    return { deltas, text: text(), reasoning: reasoning(), outcome, error: undefined as ErrorInfo | undefined };
  } catch (error) {
    const info = await classifyProviderError(error, { provider: target, receivedText: deltas.length > 0 }, async () => false);
    return { deltas, text: text(), reasoning: reasoning(), outcome: undefined, error: info };
  }
}

const content = (text: string, finish: string | null = null) => delta({ content: text }, finish);

describe('reasoning, wherever it arrives', () => {
  it('a <think> block in the content is reasoning, tags cut across chunks, and never the answer', async () => {
    mock.script('think-tags', {
      chunks: [
        content('<th'),
        content('ink>\nThe user says hi.'),
        content(' Be kind.</thi'),
        content('nk>\n\nHello'),
        content(' there!', 'stop'),
        usageChunk(5, 9),
        DONE,
      ],
    });
    const { text, reasoning, outcome } = await run({ model: 'think-tags' });
    expect(reasoning).toBe('\nThe user says hi. Be kind.');
    expect(text).toBe('Hello there!');
    expect(outcome?.finishReason).toBe('stop');
  });

  it('reasoning_content, reasoning and <think> all land in reasoning', async () => {
    mock.script('three-shapes', {
      chunks: [
        delta({ reasoning_content: 'One. ' }),
        delta({ reasoning: 'Two. ' }),
        content('<think>Three.</think>Answer.', 'stop'),
        DONE,
      ],
    });
    const { text, reasoning } = await run({ model: 'three-shapes' });
    expect(reasoning).toBe('One. Two. Three.');
    expect(text).toBe('Answer.');
  });
});

describe('an error inside the stream ends the reply as an error, the partial kept', () => {
  const shapes: Array<[name: string, steps: ScriptStep[]]> = [
    [
      'an error object with finish_reason "error" (OpenRouter)',
      [
        {
          data: {
            id: 'x',
            object: 'chat.completion.chunk',
            error: { code: 502, message: 'Upstream provider failed' },
            choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
          },
        },
      ],
    ],
    ['finish_reason "error" alone', [delta({ content: '' }, 'error')]],
    [
      'an error object inside the choice',
      [
        {
          data: {
            id: 'x',
            choices: [{ index: 0, delta: {}, finish_reason: null, error: { message: 'Upstream provider failed' } }],
          },
        },
      ],
    ],
    ['an event: error', [{ raw: 'event: error\ndata: {"message":"Upstream provider failed"}\n\n' }]],
    ['a bare error object', [{ data: { error: 'Upstream provider failed' } }]],
  ];
  for (const [name, steps] of shapes) {
    it(name, async () => {
      mock.script('mid-error', { chunks: [content('Half an '), content('answer'), ...steps, DONE] });
      const { text, outcome, error } = await run({ model: 'mid-error' });
      expect(outcome).toBeUndefined();
      expect(text).toBe('Half an answer');
      expect(error).toMatchObject({ kind: 'server' });
      expect(error?.message).toMatch(/error in the middle of the reply/);
      expect(error?.message).toMatch(/Resume continues it/);
      if (!name.includes('alone')) expect(error?.message).toMatch(/Upstream provider failed/);
    });
  }
});

describe('a 400 for something Parley can do without is asked again without it', () => {
  const refusal = (message: string) => ({ status: 400, body: { error: { message, type: 'invalid_request_error' } } });

  it('stream_options: once more without it, and no usage (the cost is unknown)', async () => {
    mock.script('no-stream-options', [
      refusal('Unrecognized request argument supplied: stream_options'),
      { chunks: [content('Hi', 'stop'), DONE] },
    ]);
    const { text, outcome } = await run({ model: 'no-stream-options' });
    expect(text).toBe('Hi');
    expect(outcome).toEqual({ finishReason: 'stop' });
    const [first, second] = mock.chatRequests();
    expect(first.body.stream_options).toEqual({ include_usage: true });
    expect(second.body.stream_options).toBeUndefined();
    expect(mock.chatRequests()).toHaveLength(2);
  });

  it('a refused prefill: once more with the instruction instead', async () => {
    mock.script('no-prefill', [
      refusal('Prefilling assistant messages is not supported for this model.'),
      { chunks: [content(' world.', 'stop'), usageChunk(3, 2), DONE] },
    ]);
    const { text, outcome } = await run({ model: 'no-prefill', continuation: { partial: 'Hello ', style: 'prefill' } });
    expect(text).toBe(' world.');
    expect(outcome?.usage).toEqual({ promptTokens: 3, completionTokens: 2 });
    const [first, second] = mock.chatRequests().map((request) => request.body.messages);
    expect(first.at(-1)).toEqual({ role: 'assistant', content: 'Hello' });
    expect(second.slice(-2)).toEqual([
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: CONTINUE_INSTRUCTION },
    ]);
  });

  it('a 400 that is about something else is the answer after one more try', async () => {
    mock.script('bad-request', refusal('max_tokens is too large'));
    const { error } = await run({ model: 'bad-request' });
    expect(error).toMatchObject({ kind: 'config', httpStatus: 400 });
    expect(error?.message).toMatch(/max_tokens is too large/);
    expect(mock.chatRequests()).toHaveLength(2);
  });
});

describe('how each resume style asks', () => {
  it('prefix-flag: the partial, marked prefix: true, without trailing whitespace', async () => {
    mock.script('prefix', { chunks: [content('there.', 'stop'), DONE] });
    await run({ model: 'prefix', continuation: { partial: 'Hello \n', style: 'prefix-flag' } });
    expect(mock.chatRequests()[0].body.messages.at(-1)).toEqual({ role: 'assistant', content: 'Hello', prefix: true });
  });

  it('prefix-flag goes to the continuation address when there is one', async () => {
    const elsewhere = await startMockLlm();
    try {
      elsewhere.script('beta', { chunks: [content('there.', 'stop'), DONE] });
      const { text } = await run({
        model: 'beta',
        continuation: { partial: 'Hi ', style: 'prefix-flag', baseURL: elsewhere.url },
      });
      expect(text).toBe('there.');
      expect(elsewhere.chatRequests()).toHaveLength(1);
      expect(mock.chatRequests()).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('the stall watchdog', () => {
  it('counts keep-alive comments as life: a queued model that sends only comments is not stalled', async () => {
    const keepAlives: ScriptStep[] = [];
    for (let index = 0; index < 8; index++) keepAlives.push({ waitMs: 100 }, { comment: 'OPENROUTER PROCESSING' });
    mock.script('queued', { chunks: [...keepAlives, content('At last.', 'stop'), DONE] });
    const { text, error } = await run({ model: 'queued' }, { stallTimeoutMs: 300 });
    expect(error).toBeUndefined();
    expect(text).toBe('At last.');
  });

  it('still calls real silence a stall', async () => {
    mock.script('silent', { chunks: [content('Par'), { waitMs: 600 }, content('tial', 'stop'), DONE] });
    const { text, error } = await run({ model: 'silent' }, { stallTimeoutMs: 300 });
    expect(text).toBe('Par');
    expect(error?.kind).toBe('timeout');
  });
});
