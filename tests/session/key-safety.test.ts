/**
 * An API key leaves the core only in the Authorization header of requests to its own provider:
 * never in an error message, an event, a stored row, a log line, or an export (unless asked).
 * A hostile provider that repeats the key back in its error bodies is the hard case.
 */
import 'fake-indexeddb/auto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { makeHarness, type Harness } from './harness';

const SECRET = 'sk-parley-secret-key-0123456789abcdef';
const OTHER_SECRET = 'sk-other-provider-key-9876543210';

/** A provider that puts the caller's key in every error it sends. */
async function startKeyEchoServer(): Promise<{ url: string; origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const key = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const headers = { 'content-type': 'application/json' };
      if (request.url?.endsWith('/models')) {
        response.writeHead(401, headers).end(JSON.stringify({ error: { message: `Incorrect API key provided: ${key}` } }));
        return;
      }
      const model = String((JSON.parse(body || '{}') as { model?: unknown }).model ?? '');
      if (model === 'echo-key-stream') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = {
          id: 'x',
          object: 'chat.completion.chunk',
          created: 1,
          model,
          choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi ' }, finish_reason: null }],
        };
        response.write(`data: ${JSON.stringify(chunk)}\n\n`);
        response.end(`data: ${JSON.stringify({ error: { message: `The key ${key} was revoked mid-stream` } })}\n\n`);
        return;
      }
      const status = Number(model.replace('echo-key-', '')) || 400;
      response.writeHead(status, headers).end(JSON.stringify({ error: { message: `Key ${key} is not allowed (${model})` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/v1`,
    origin,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface SeenRequest {
  url: string;
  /** Headers, URL and body as one string, to search for a key anywhere in the request. */
  everything: string;
}

let harness: Harness | undefined;
let echo: Awaited<ReturnType<typeof startKeyEchoServer>> | undefined;
let consoleSpies: MockInstance[] = [];
let seen: SeenRequest[] = [];
const originalFetch = globalThis.fetch;

beforeEach(() => {
  seen = [];
  consoleSpies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation(() => undefined),
  );
  // Every request the core makes goes through fetch (the SDK uses the global one).
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const headers = [...request.headers.entries()].map(([name, value]) => `${name}: ${value}`).join('\n');
    const body = init?.body === undefined || init.body === null ? '' : String(init.body);
    seen.push({ url: request.url, everything: `${request.url}\n${headers}\n${body}` });
    return originalFetch(input, init);
  };
});

afterEach(async () => {
  globalThis.fetch = originalFetch;
  for (const spy of consoleSpies) spy.mockRestore();
  await harness?.close();
  await echo?.close();
  harness = undefined;
  echo = undefined;
});

function logged(): string {
  return consoleSpies
    .flatMap((spy) =>
      spy.mock.calls.map((call) =>
        call.map((argument) => String(argument instanceof Error ? argument.stack : JSON.stringify(argument))).join(' '),
      ),
    )
    .join('\n');
}

describe('API keys', () => {
  it('never appear in errors, events, stored rows or logs, even when a provider repeats them', async () => {
    harness = await makeHarness();
    echo = await startKeyEchoServer();
    const { core } = harness;

    // The connection test and the model list fail with the key in the provider's words.
    const tested = await core.catalog.testConnection({ presetId: 'custom', name: 'Leaky', baseURL: echo.url, apiKey: SECRET });
    expect(tested.ok).toBe(false);
    expect(JSON.stringify(tested)).not.toContain(SECRET);
    const saved = await core.catalog.saveProvider({ presetId: 'custom', name: 'Leaky', baseURL: echo.url, apiKey: SECRET });
    if (!saved.ok) throw new Error(saved.error.message);
    const refreshed = await core.catalog.listModels(saved.value.id, { refresh: true });
    expect(refreshed.ok).toBe(false);
    expect(JSON.stringify(refreshed)).not.toContain(SECRET);

    const errors: string[] = [];
    for (const model of ['echo-key-400', 'echo-key-403', 'echo-key-402', 'echo-key-500', 'echo-key-stream']) {
      const created = await core.conversations.create({ providerId: saved.value.id, modelId: model });
      if (!created.ok) throw new Error(created.error.message);
      const sent = await core.runs.send(created.value.id, 'Hello');
      expect(sent.ok).toBe(true);
      await core.runs.settle();
      const reply = (await harness.messages(created.value.id))[1];
      expect(reply.status).toBe('error');
      errors.push(reply.error!.message);
    }
    // The provider's words are still shown, with the key masked.
    expect(errors.join('\n')).toMatch(/Key •••• is not allowed/);
    expect(errors.join('\n')).toMatch(/The key •••• was revoked mid-stream/);

    expect(errors.join('\n')).not.toContain(SECRET);
    // Only the provider list itself carries keys to the app's own tabs (the UI masks them there).
    const otherEvents = harness.events.filter((event) => event.type !== 'providers-change');
    expect(JSON.stringify(otherEvents)).not.toContain(SECRET);
    for (const conversation of await core.repository.listConversations()) {
      expect(JSON.stringify(await core.repository.listMessages(conversation.id))).not.toContain(SECRET);
    }
    expect(logged()).not.toContain(SECRET);
  });

  it('are left out of an export unless the user asks for them', async () => {
    harness = await makeHarness();
    const saved = await harness.core.catalog.saveProvider({
      presetId: 'custom',
      name: 'Keyed',
      baseURL: harness.mock.url,
      apiKey: SECRET,
    });
    if (!saved.ok) throw new Error(saved.error.message);
    const without = await (await harness.core.dataTransfer()).export({ includeKeys: false });
    expect(without.ok && without.value).not.toContain(SECRET);
    const withKeys = await (await harness.core.dataTransfer()).export({ includeKeys: true });
    expect(withKeys.ok && withKeys.value).toContain(SECRET);
  });

  it('go only to their own provider’s base URL', async () => {
    harness = await makeHarness();
    echo = await startKeyEchoServer();
    const { core, mock } = harness;
    const first = await core.catalog.saveProvider({ presetId: 'custom', name: 'Mock', baseURL: mock.url, apiKey: SECRET });
    const second = await core.catalog.saveProvider({
      presetId: 'custom',
      name: 'Other',
      baseURL: echo.url,
      apiKey: OTHER_SECRET,
    });
    if (!first.ok || !second.ok) throw new Error('save failed');
    for (const [providerId, modelId] of [
      [first.value.id, 'mock-fast'],
      [second.value.id, 'echo-key-500'],
      [first.value.id, 'mock-drop'],
    ]) {
      const created = await core.conversations.create({ providerId, modelId });
      if (!created.ok) throw new Error(created.error.message);
      await core.runs.send(created.value.id, 'Hello');
      await core.runs.settle();
    }

    expect(seen.length).toBeGreaterThan(4);
    for (const request of seen) {
      if (request.everything.includes(SECRET)) expect(request.url.startsWith(`${mock.url}/`)).toBe(true);
      if (request.everything.includes(OTHER_SECRET)) expect(request.url.startsWith(`${echo.url}/`)).toBe(true);
    }
    // And each provider did get its own key, in the Authorization header only.
    expect(
      mock
        .chatRequests()
        .every(
          (request) => request.headers.authorization === `Bearer ${SECRET}` || request.headers.authorization === 'Bearer no-key',
        ),
    ).toBe(true);
    expect(
      seen.some(
        (request) => request.url.startsWith(echo!.url) && request.everything.includes(`authorization: Bearer ${OTHER_SECRET}`),
      ),
    ).toBe(true);
    expect(
      seen
        .filter((request) => request.everything.includes(SECRET))
        .every((request) => !new URL(request.url).search.includes(SECRET)),
    ).toBe(true);
  });
});
