/**
 * One run, with time faked: the provider's chunks arrive exactly when the test says, so batching,
 * checkpoint spacing, backoff and the stall watchdog are asserted to the millisecond.
 */
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Conversation, Message, RunStatus } from '../../src/shared/protocol';
import type { Continuation } from '../../src/worker/providers/client';
import { DEFAULT_TIMINGS, Generation, type DeltaBatch, type RunEnd, type RunStore } from '../../src/worker/session/generation';
import type { RunTotals } from '../../src/worker/storage/run-writes';

/** The provider, scripted: each request gets the next answer; streams are fed by `push`. */
function makeProvider() {
  const answers: (() => Response)[] = [];
  const requests: { at: number; body: { messages: unknown[] } }[] = [];
  let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  const encoder = new TextEncoder();
  const fetch = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    requests.push({ at: Date.now(), body: JSON.parse(String(init?.body)) });
    const next = answers.shift();
    if (next) return next();
    const body = new ReadableStream<Uint8Array>({ start: (controller) => void (stream = controller) });
    init?.signal?.addEventListener('abort', () => stream?.error(new DOMException('The operation was aborted.', 'AbortError')));
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    stream!.enqueue(
      encoder.encode(`data: ${JSON.stringify({ id: 'x', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`),
    );
  return {
    client: new OpenAI({ apiKey: 'test', baseURL: 'http://provider.test/v1', maxRetries: 0, fetch }),
    requests,
    /** The next request fails with this status (and headers). */
    failNext(status: number, headers: Record<string, string> = {}) {
      answers.push(() => new Response(JSON.stringify({ error: { message: 'Busy' } }), { status, headers }));
    },
    text: (content: string) => chunk({ content }),
    reasoning: (reasoning: string) => chunk({ reasoning_content: reasoning }),
    finish: () => {
      chunk({}, 'stop');
      stream!.enqueue(encoder.encode('data: [DONE]\n\n'));
      stream!.close();
    },
  };
}

const conversation: Conversation = {
  id: 'c1',
  title: 'T',
  activeLeafId: 'a1',
  providerId: 'p1',
  modelId: 'model',
  createdAt: 0,
  updatedAt: 0,
  usage: { promptTokens: 0, completionTokens: 0 },
  cost: 0,
};

const reply: Message = {
  id: 'a1',
  conversationId: 'c1',
  parentId: 'u1',
  role: 'assistant',
  content: '',
  status: 'streaming',
  createdAt: 0,
  updatedAt: 0,
};

function startRun(provider: ReturnType<typeof makeProvider>, message: Message = reply, continuation?: Continuation) {
  const checkpoints: { at: number; content: string }[] = [];
  const finals: Message[] = [];
  const totals: RunTotals[] = [];
  const store: RunStore = {
    checkpointMessage: async (_id, content) => {
      checkpoints.push({ at: Date.now(), content });
      return true;
    },
    finishRun: async (final, runTotals) => {
      finals.push(final);
      totals.push(runTotals);
      return conversation;
    },
  };
  const batches: (DeltaBatch & { at: number })[] = [];
  const statuses: { at: number; status: RunStatus; delayMs?: number }[] = [];
  let ended: RunEnd | undefined;
  const generation = new Generation(
    {
      provider: { id: 'p1', presetId: 'custom', name: 'Test', baseURL: 'http://provider.test/v1', enabled: true, createdAt: 0 },
      client: provider.client,
      message,
      request: { model: 'model', turns: [{ role: 'user', content: 'Hi' }], ...(continuation ? { continuation } : {}) },
    },
    store,
    {
      status: (status, extra) => statuses.push({ at: Date.now(), status, delayMs: extra?.retry?.delayMs }),
      reachable: () => undefined,
      delta: (batch) => batches.push({ ...batch, at: Date.now() }),
      end: (end) => void (ended = end),
    },
    { ...DEFAULT_TIMINGS, stallTimeoutMs: 5000 },
  );
  void generation.start();
  return { generation, batches, checkpoints, finals, totals, statuses, ended: () => ended };
}

/** Move the clock to `ms` after the start, letting every promise settle on the way. */
async function at(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms - Date.now());
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Generation', () => {
  it('coalesces text into one batch per 16 ms window, numbered from 1, and a late tab’s snapshot matches', async () => {
    const provider = makeProvider();
    const run = startRun(provider);
    await at(0);
    provider.text('Hel');
    await at(5);
    provider.text('lo');
    await at(10);
    provider.text(', ');
    await at(30);
    provider.text('world');
    await at(100);

    expect(run.batches.map(({ at, seq, text }) => ({ at, seq, text }))).toEqual([
      { at: 16, seq: 1, text: 'Hello, ' },
      { at: 46, seq: 2, text: 'world' },
    ]);
    expect(run.generation.snapshot()).toEqual({ messageId: 'a1', content: 'Hello, world', reasoning: '', seq: 2 });

    provider.finish();
    await at(200);
    expect(run.ended()?.message).toMatchObject({ status: 'complete', content: 'Hello, world', finishReason: 'stop' });
  });

  it('checkpoints at most once per 250 ms while text flows, and saves the end once', async () => {
    const provider = makeProvider();
    const run = startRun(provider);
    for (let time = 0; time <= 600; time += 20) {
      await at(time);
      provider.text('x');
    }
    provider.finish();
    await at(1000);

    // Text arrived until 600; the end is saved by the final write, not one more checkpoint.
    expect(run.checkpoints.map((checkpoint) => checkpoint.at)).toEqual([0, 250, 500]);
    expect(run.checkpoints[1].content).toBe('x'.repeat(13));
    expect(run.finals).toHaveLength(1);
    expect(run.finals[0].content).toBe('x'.repeat(31));
  });

  it('retries before the first token after 1 s, then 2 s, honouring retry-after when given', async () => {
    const provider = makeProvider();
    provider.failNext(500);
    provider.failNext(429, { 'retry-after': '3' });
    const run = startRun(provider);
    await at(3999);
    expect(provider.requests.map((request) => request.at)).toEqual([0, 1000]);
    await at(4000);
    expect(provider.requests.map((request) => request.at)).toEqual([0, 1000, 4000]);
    expect(run.statuses.filter((entry) => entry.status === 'retrying')).toEqual([
      { at: 0, status: 'retrying', delayMs: 1000 },
      { at: 1000, status: 'retrying', delayMs: 3000 },
    ]);
    provider.text('ok');
    provider.finish();
    await at(4100);
    expect(run.ended()?.message).toMatchObject({ status: 'complete', content: 'ok' });
  });

  it('ends a stream that goes silent after the stall timeout, keeping the text, and never retries it', async () => {
    const provider = makeProvider();
    const run = startRun(provider);
    await at(10);
    provider.text('Partial');
    await at(5009);
    expect(run.ended()).toBeUndefined();
    await at(5010);
    expect(run.ended()?.message).toMatchObject({ status: 'error', content: 'Partial', error: { kind: 'timeout' } });
    expect(provider.requests).toHaveLength(1);
  });

  it('stop keeps the partial as stopped, resumed text is appended to what was there', async () => {
    const provider = makeProvider();
    const run = startRun(provider, { ...reply, content: 'Earlier. ', status: 'streaming' });
    await at(0);
    provider.text('More');
    await at(50);
    run.generation.stop();
    await at(60);
    expect(run.ended()?.message).toMatchObject({ status: 'stopped', content: 'Earlier. More' });
    expect(run.finals).toHaveLength(1);
  });

  it('times the reasoning: "Thought for 12 s" is known the moment the answer starts, and stored', async () => {
    const provider = makeProvider();
    const run = startRun(provider);
    // Reasoning arrives from 1 s to 10 s (every 3 s, within the stall timeout), the answer at 13 s.
    for (const time of [1000, 4000, 7000, 10_000]) {
      await at(time);
      provider.reasoning(time === 1000 ? 'Let me think' : '.');
    }
    await at(13_000);
    provider.text('The answer.');
    await at(13_100);
    // The batch that carries the first answer text says how long it thought.
    expect(run.batches.map(({ text, reasoningMs }) => ({ text, reasoningMs })).slice(-2)).toEqual([
      { text: '', reasoningMs: undefined },
      { text: 'The answer.', reasoningMs: 12_000 },
    ]);
    expect(run.generation.snapshot().reasoningMs).toBe(12_000);
    provider.finish();
    await at(13_200);
    expect(run.ended()?.message).toMatchObject({ reasoning: 'Let me think...', reasoningMs: 12_000 });
  });

  it('a <think> block in the content is timed and stored as reasoning too', async () => {
    const provider = makeProvider();
    const run = startRun(provider);
    await at(0);
    provider.text('<think>Hmm');
    await at(3000);
    provider.text('.</think>\n\nYes.');
    provider.finish();
    await at(3100);
    expect(run.ended()?.message).toMatchObject({ content: 'Yes.', reasoning: 'Hmm.', reasoningMs: 3000 });
  });

  it('on resume, never sends what the provider repeats: the repeat is held, then dropped', async () => {
    const provider = makeProvider();
    const partial = 'First sentence. Then it ran ho';
    const run = startRun(provider, { ...reply, content: partial }, { partial, style: 'instruction' });
    await at(0);
    provider.text('Then it ');
    await at(100);
    provider.text('ran ');
    await at(200);
    expect(run.batches).toEqual([]); // still a repeat: nothing shown, not even for a frame
    provider.text('home.');
    provider.finish();
    await at(300);
    expect(run.batches.map((batch) => batch.text).join('')).toBe('me.');
    expect(run.ended()?.message.content).toBe('First sentence. Then it ran home.');
  });

  it('a reply that got text but no usage has an unknown cost, not $0', async () => {
    const provider = makeProvider();
    const run = startRun(provider);
    await at(0);
    provider.text('No usage chunk follows.');
    provider.finish();
    await at(100);
    expect(run.ended()).toMatchObject({ cost: 0, usage: undefined, costUnknown: true });
    expect(run.ended()?.message.costUnknown).toBe(true);
    expect(run.totals[0]).toMatchObject({ cost: 0, costUnknown: true });
  });
});
