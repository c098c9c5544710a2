import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorInfo, Provider } from '../../src/shared/protocol';
import { makeOpenAIClient, streamChat, type StreamDelta } from '../../src/worker/providers/client';
import { classifyProviderError, parseRetryAfter, redactKey } from '../../src/worker/providers/errors';
import { fetchModels, normaliseModel } from '../../src/worker/providers/models';
import { replyTextFor, startMockLlm, type MockLlm } from '../fixtures/mock-llm';
import { delta, DONE, usageChunk } from '../fixtures/mock-llm-script';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm();
});
afterAll(async () => {
  await mock.close();
});

const SECRET = 'sk-test-secret-123456';

function provider(overrides: Partial<Provider> = {}): Provider {
  return {
    id: 'p1',
    presetId: 'custom',
    name: 'Mock',
    baseURL: mock.url,
    apiKey: SECRET,
    enabled: true,
    createdAt: 0,
    ...overrides,
  };
}

/** Stream one reply and return what arrived, or the classified failure. */
async function run(model: string, options: { stallTimeoutMs?: number; target?: Provider; reachable?: boolean } = {}) {
  const target = options.target ?? provider();
  const deltas: StreamDelta[] = [];
  try {
    const outcome = await streamChat(
      makeOpenAIClient(target),
      { model, turns: [{ role: 'user', content: 'hello' }] },
      {
        signal: new AbortController().signal,
        stallTimeoutMs: options.stallTimeoutMs ?? 2000,
        onDelta: (delta) => deltas.push(delta),
      },
    );
    return { deltas, outcome, error: undefined as ErrorInfo | undefined };
  } catch (error) {
    const info = await classifyProviderError(
      error,
      { provider: target, model, receivedText: deltas.length > 0 },
      async () => options.reachable ?? false,
    );
    return { deltas, outcome: undefined, error: info };
  }
}

describe('streaming with the real SDK', () => {
  it('streams text and reports usage from the final chunk', async () => {
    const { deltas, outcome } = await run('mock-fast');
    expect(deltas.map((delta) => delta.text).join('')).toBe(replyTextFor('mock-fast'));
    expect(outcome?.finishReason).toBe('stop');
    expect(outcome?.usage?.completionTokens).toBe(deltas.length);
    expect(outcome?.usage?.promptTokens).toBeGreaterThan(0);
  });

  it('passes reasoning deltas separately from the answer', async () => {
    const { deltas } = await run('mock-reasoning');
    expect(deltas.some((delta) => delta.reasoning && !delta.text)).toBe(true);
    expect(deltas.map((delta) => delta.text).join('')).toBe(replyTextFor('mock-reasoning'));
  });

  it('reads reasoning_content and reasoning alike, and usage from a usage-only last chunk', async () => {
    mock.script('script-shapes', {
      chunks: [
        delta({ role: 'assistant', reasoning_content: 'Think' }),
        delta({ reasoning: 'ing.' }),
        delta({ content: 'An' }),
        delta({ content: 'swer' }, 'stop'),
        usageChunk(12, 3, { cost: 0.5 }),
        DONE,
      ],
    });
    const { deltas, outcome } = await run('script-shapes');
    expect(deltas.map((entry) => entry.reasoning).join('')).toBe('Thinking.');
    expect(deltas.map((entry) => entry.text).join('')).toBe('Answer');
    expect(outcome).toEqual({ finishReason: 'stop', usage: { promptTokens: 12, completionTokens: 3 }, reportedCost: 0.5 });
  });

  it('a stream that ends without finish_reason or [DONE] is malformed, with the text received', async () => {
    mock.script('script-no-finish', { chunks: [delta({ content: 'Half an ans' })] });
    const { deltas, error } = await run('script-no-finish');
    expect(deltas.map((entry) => entry.text).join('')).toBe('Half an ans');
    expect(error?.kind).toBe('malformed-stream');
  });

  it('reads the provider-reported cost', async () => {
    const { outcome } = await run('mock-cost');
    expect(outcome?.reportedCost).toBe(0.00042);
  });

  it('sends no retries of its own and OpenRouter attribution only to OpenRouter', async () => {
    mock.reset();
    await run('mock-500');
    expect(mock.chatRequests()).toHaveLength(1);
    await run('mock-fast', { target: provider({ presetId: 'openrouter' }) });
    const request = mock.chatRequests().at(-1)!;
    expect(request.headers['x-title']).toBe('Parley');
    expect(request.headers['http-referer']).toBeTruthy();
    expect(request.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('uses a placeholder key for keyless local servers', async () => {
    mock.reset();
    const { outcome } = await run('mock-fast', { target: provider({ apiKey: undefined, presetId: 'ollama' }) });
    expect(outcome?.finishReason).toBe('stop');
    expect(mock.chatRequests()[0].headers.authorization).toBe('Bearer no-key');
  });
});

describe('model lists', () => {
  it('normalises per-token price strings to USD per million and keeps context length', async () => {
    const models = await fetchModels(makeOpenAIClient(provider()), 'p1');
    const fast = models.find((model) => model.id === 'mock-fast');
    expect(fast).toMatchObject({ providerId: 'p1', pricing: { promptPerMillion: 1, completionPerMillion: 2 } });
    expect(fast?.contextLength).toBeGreaterThan(0);
    expect(fast?.fetchedAt).toBeGreaterThan(0);
    expect(models.map((model) => model.name)).toEqual([...models.map((model) => model.name)].sort((a, b) => a.localeCompare(b)));
  });

  it('handles odd shapes: numbers, negative router prices, other context fields', () => {
    expect(
      normaliseModel('p', { id: 'a', pricing: { prompt: '0.0000011', completion: 0.0000044 }, context_window: 8192 }, 1),
    ).toMatchObject({
      name: 'a',
      contextLength: 8192,
      pricing: { promptPerMillion: 1.1, completionPerMillion: 4.4 },
    });
    expect(normaliseModel('p', { id: 'router', pricing: { prompt: '-1', completion: '-1' } }, 1).pricing).toBeUndefined();
    expect(normaliseModel('p', { id: 'b', top_provider: { context_length: 4096 } }, 1).contextLength).toBe(4096);
  });
});

describe('error classification', () => {
  const cases: Array<[string, Partial<ErrorInfo>, RegExp]> = [
    ['mock-401', { kind: 'auth', httpStatus: 401, retryable: false }, /Mock rejected the API key.*Settings/],
    ['mock-403', { kind: 'auth', httpStatus: 403 }, /refused access/],
    ['mock-402', { kind: 'billing', httpStatus: 402 }, /out of credit/],
    ['mock-404', { kind: 'not-found', httpStatus: 404 }, /doesn't offer the model “mock-404”/],
    ['mock-429', { kind: 'rate-limit', httpStatus: 429, retryable: true, retryAfterMs: 1000 }, /rate limit/],
    ['mock-500', { kind: 'server', httpStatus: 500, retryable: true }, /server error \(HTTP 500\)/],
    ['mock-503', { kind: 'server', httpStatus: 503, retryable: true }, /HTTP 503/],
    ['mock-500-text', { kind: 'server', httpStatus: 500 }, /HTTP 500/],
  ];
  for (const [model, expected, message] of cases) {
    it(`${model} → ${expected.kind}`, async () => {
      const { error } = await run(model);
      expect(error).toMatchObject(expected);
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain(SECRET);
    });
  }

  it('a wrong key is an auth error on the model list too', async () => {
    const target = provider({ apiKey: 'bad-key' });
    const failure = await fetchModels(makeOpenAIClient(target), 'p1').catch((error: unknown) =>
      classifyProviderError(error, { provider: target, listing: true }),
    );
    expect(failure).toMatchObject({ kind: 'auth' });
  });

  it('a dropped connection mid-stream is a network error with the partial received', async () => {
    const { deltas, error } = await run('mock-drop');
    expect(deltas.length).toBeGreaterThan(0);
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error?.message).toMatch(/dropped mid-reply/);
  });

  it('a malformed chunk is malformed-stream', async () => {
    const { deltas, error } = await run('mock-malformed');
    expect(deltas.length).toBeGreaterThan(0);
    expect(error?.kind).toBe('malformed-stream');
  });

  it('a stream without a finish is malformed-stream', async () => {
    expect((await run('mock-no-done')).error?.kind).toBe('malformed-stream');
  });

  it('a stall times out, before and after the first token', async () => {
    expect((await run('mock-hang', { stallTimeoutMs: 300 })).error?.kind).toBe('timeout');
    const stalled = await run('mock-stall', { stallTimeoutMs: 300 });
    expect(stalled.deltas.length).toBeGreaterThan(0);
    expect(stalled.error?.kind).toBe('timeout');
  });

  it('an unreachable server is a network error naming the URL', async () => {
    const target = provider({ baseURL: 'http://127.0.0.1:9/v1' });
    const { error } = await run('mock-fast', { target });
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error?.message).toContain('http://127.0.0.1:9/v1');
  });

  it('a host that answers but failed the request is CORS, with a way out', async () => {
    const remote = provider({ baseURL: 'https://api.example.com/v1' });
    const error = await classifyProviderError(new TypeError('Failed to fetch'), { provider: remote }, async () => true);
    expect(error.kind).toBe('cors');
    expect(error.message).toMatch(/CORS/);
    expect(error.message).toMatch(/proxy/);
  });

  it('a custom server on localhost that refuses the page is told how to allow this origin', async () => {
    const { error } = await run('mock-fast', { target: provider({ baseURL: 'http://127.0.0.1:9/v1' }), reachable: true });
    expect(error?.kind).toBe('cors');
    expect(error?.message).toMatch(/Access-Control-Allow-Origin/);
  });

  it('stopping is aborted, and the request is closed', async () => {
    mock.reset();
    const controller = new AbortController();
    const deltas: string[] = [];
    const pending = streamChat(
      makeOpenAIClient(provider()),
      { model: 'mock-slow:tokens=100:delay=10', turns: [{ role: 'user', content: 'x' }] },
      {
        signal: controller.signal,
        onDelta: (delta) => {
          deltas.push(delta.text);
          if (deltas.length === 3) controller.abort();
        },
      },
    );
    const error = await pending.catch((caught: unknown) => classifyProviderError(caught, { provider: provider() }));
    expect(error).toMatchObject({ kind: 'aborted' });
    const request = mock.chatRequests()[0];
    await request.done;
    expect(request.aborted).toBe(true);
  });

  it('parses retry-after as seconds, a date, or retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '150' }))).toBe(150);
    expect(parseRetryAfter(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4000)).toBe(6000);
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });

  it('never repeats the key', () => {
    expect(redactKey(`invalid key ${SECRET}!`, SECRET)).toBe('invalid key ••••!');
  });
});
