import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyTextFor, startMockLlm, type MockLlm } from '../fixtures/mock-llm';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm();
});
afterAll(async () => {
  await mock.close();
});

function chat(model: string, extra: Record<string, unknown> = {}, init: RequestInit = {}): Promise<Response> {
  return fetch(`${mock.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello there' }], stream: true, ...extra }),
    ...init,
  });
}

/** The JSON chunks of an SSE body, and whether it ended with [DONE]. */
async function readEvents(response: Response) {
  const lines = (await response.text()).split('\n\n').filter(Boolean);
  const done = lines.at(-1) === 'data: [DONE]';
  const chunks = lines.filter((line) => line !== 'data: [DONE]').map((line) => JSON.parse(line.slice('data: '.length)));
  return { chunks, done };
}

function contentOf(chunks: any[]): string {
  return chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
}

describe('mock-llm', () => {
  it('lists models OpenRouter-style, prices as strings per token', async () => {
    const response = await fetch(`${mock.url}/models`);
    const list = await response.json();
    expect(list.object).toBe('list');
    const fast = list.data.find((model: { id: string }) => model.id === 'mock-fast');
    expect(fast).toMatchObject({ object: 'model', owned_by: 'mock', pricing: { prompt: '0.000001', completion: '0.000002' } });
    expect(fast.context_length).toBeGreaterThan(0);
    const ids = list.data.map((model: { id: string }) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['mock-slow', 'mock-hang', 'mock-429-once', 'mock-500-text', 'mock-echo']));
    expect(new Set(list.data.map((model: { pricing: { prompt: string } }) => model.pricing.prompt)).size).toBe(ids.length);
  });

  it('streams the canonical reply, finishes with stop and sends usage', async () => {
    const response = await chat('mock-fast', { stream_options: { include_usage: true } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const { chunks, done } = await readEvents(response);
    expect(done).toBe(true);
    expect(contentOf(chunks)).toBe(replyTextFor('mock-fast'));
    const contentChunks = chunks.filter((chunk) => chunk.choices.length > 0);
    expect(contentChunks.at(-1).choices[0].finish_reason).toBe('stop');
    const usage = chunks.at(-1);
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: contentChunks.length });
  });

  it('continues a partial reply with exactly the rest, even mid-token', async () => {
    const model = 'mock-slow:tokens=30:delay=0';
    const full = replyTextFor(model);
    const partial = full.slice(0, 37);
    expect(full.slice(36, 38)).toMatch(/^\S\S$/); // the cut falls inside a word
    const messages = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: partial },
    ];
    const { chunks } = await readEvents(await chat(model, { messages }));
    const rest = contentOf(chunks);
    expect(partial + rest).toBe(full);
    expect(rest.length).toBe(full.length - 37);
  });

  it('stretches mock-markdown to N tokens of markdown, not lorem ipsum', async () => {
    const model = 'mock-markdown:tokens=700:delay=0';
    const full = replyTextFor(model);
    const { chunks } = await readEvents(await chat(model));
    const contentChunks = chunks.filter((chunk) => chunk.choices[0]?.delta.content);
    expect(contentChunks).toHaveLength(700);
    expect(contentOf(chunks)).toBe(full);
    // The tour, repeated: headings, tables and code fences all the way through.
    expect(full.match(/^# A tour of Markdown$/gm)!.length).toBeGreaterThan(3);
    expect(full).toContain('| TypeScript | static | 2012 |');
    expect(full).toContain('```python');
  });

  it('streams mock-math three characters at a time, and resumes mid-piece', async () => {
    const model = 'mock-math:delay=0';
    const full = replyTextFor(model);
    const { chunks } = await readEvents(await chat(model));
    const pieces = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').filter(Boolean);
    expect(pieces.join('')).toBe(full);
    expect(pieces.every((piece: string) => piece.length <= 3)).toBe(true);
    expect(pieces.length).toBe(Math.ceil(full.length / 3));
    expect(full).toContain('$$\nx = \\frac{-b');

    const sent = full.slice(0, 100);
    const messages = [
      { role: 'user', content: 'hello there' },
      { role: 'assistant', content: sent },
    ];
    const rest = contentOf((await readEvents(await chat(model, { messages }))).chunks);
    expect(sent + rest).toBe(full);
  });

  it('rate-limits with retry-after and rejects a bad key', async () => {
    const limited = await chat('mock-429');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    const rejected = await chat(
      'mock-fast',
      {},
      { headers: { authorization: 'Bearer bad-key', 'content-type': 'application/json' } },
    );
    expect(rejected.status).toBe(401);
    expect((await rejected.json()).error.code).toBe('invalid_api_key');
  });

  it('marks an aborted hanging request as aborted', async () => {
    mock.reset();
    const controller = new AbortController();
    const response = await chat('mock-hang', {}, { signal: controller.signal });
    expect(response.status).toBe(200);
    const logged = await mock.waitForRequest((request) => request.model === 'mock-hang');
    controller.abort();
    await logged.done;
    expect(logged.aborted).toBe(true);
    expect(mock.chatRequests()).toHaveLength(1);
  });

  it('answers preflights by echoing the requested headers', async () => {
    const response = await fetch(`${mock.url}/chat/completions`, {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, x-stainless-os' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization, x-stainless-os');
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  it('sends no CORS headers when cors is off', async () => {
    const blocking = await startMockLlm({ cors: false });
    try {
      const models = await fetch(`${blocking.url}/models`);
      expect(models.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await fetch(`${blocking.url}/models`, { method: 'OPTIONS' });
      expect(preflight.status).toBe(404);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await blocking.close();
    }
  });

  it('asked to continue: a prefill is continued exactly, an instruction with an overlap, :afresh starts over', async () => {
    const whole = replyTextFor('mock-fast');
    const partial = whole.slice(0, 30).trimEnd();
    const prefill = [
      { role: 'user', content: 'hello there' },
      { role: 'assistant', content: partial },
    ];
    const instruction = [...prefill, { role: 'user', content: 'Continue exactly where you stopped.' }];
    const continued = await readEvents(await chat('mock-fast', { messages: prefill }));
    expect(partial + contentOf(continued.chunks)).toBe(whole);
    const overlapped = contentOf((await readEvents(await chat('mock-fast:overlap=2', { messages: instruction }))).chunks);
    const lastTwoWords = partial.split(' ').slice(-2).join(' ');
    expect(overlapped.startsWith(lastTwoWords)).toBe(true);
    expect(partial + overlapped.slice(lastTwoWords.length)).toBe(whole);
    for (const messages of [prefill, instruction]) {
      expect(contentOf((await readEvents(await chat('mock-fast:afresh', { messages }))).chunks)).toBe(whole);
    }
  });

  it('mock-think writes its reasoning into the content between <think> tags', async () => {
    const text = contentOf((await readEvents(await chat('mock-think:delay=0'))).chunks);
    expect(text).toMatch(/^<think>The user wants a short answer\..*<\/think>\n\nAfter some thought/s);
  });
});
