/**
 * Local servers: what a person sees when Ollama, LM Studio or llama.cpp (or a custom server on
 * localhost) refuses the page or is not running — the server's own setting, with the exact value
 * for the origin Parley runs on — and "Detect local servers".
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PresetId, Provider } from '../../src/shared/protocol';
import { presetById } from '../../src/shared/presets';
import { classifyProviderError } from '../../src/worker/providers/errors';
import { DEFAULT_LOCAL_TARGETS, detectLocalServers } from '../../src/worker/providers/local-servers';
import { MOCK_MODELS, startMockLlm, type MockLlm } from '../fixtures/mock-llm';

const ORIGIN = 'https://parley.example';
/** Nothing listens on port 9 (discard): a connection there fails at once. */
const CLOSED = 'http://127.0.0.1:9/v1';

let mock: MockLlm;
beforeAll(async () => {
  mock = await startMockLlm();
});
afterAll(async () => {
  await mock.close();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function local(presetId: PresetId, baseURL = presetById(presetId).baseURL): Provider {
  return { id: presetId, presetId, name: presetById(presetId).name, baseURL, enabled: true, createdAt: 0 };
}

/** A failed connection to this provider, classified as the core would from `ORIGIN`. */
function failure(provider: Provider, running: boolean) {
  return classifyProviderError(new TypeError('Failed to fetch'), { provider, appOrigin: ORIGIN }, async () => running);
}

describe('a local server that refuses the page names its own setting, with this origin', () => {
  it('Ollama: OLLAMA_ORIGINS', async () => {
    const error = await failure(local('ollama'), true);
    expect(error.kind).toBe('cors');
    expect(error.message).toContain(`OLLAMA_ORIGINS=${ORIGIN}`);
    expect(error.message).toContain('ollama serve');
  });

  it('LM Studio: “Enable CORS”', async () => {
    const error = await failure(local('lmstudio'), true);
    expect(error.message).toContain('Enable CORS');
    expect(error.message).toContain('lms server start --cors');
    expect(error.message).toContain(ORIGIN);
  });

  it('llama.cpp: --cors-origins', async () => {
    const error = await failure(local('llamacpp'), true);
    expect(error.message).toContain(`--cors-origins ${ORIGIN}`);
  });

  it('a custom server on localhost: the CORS header it must send', async () => {
    const error = await failure(local('custom', 'http://localhost:5000/v1'), true);
    expect(error.message).toContain(`Access-Control-Allow-Origin: ${ORIGIN}`);
  });

  it('a server that does not answer: is it running, and if so the setting', async () => {
    const error = await failure(local('ollama'), false);
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/Check that it is running/);
    expect(error.message).toContain(`OLLAMA_ORIGINS=${ORIGIN}`);
  });

  it('a remote custom server gets the generic advice, not a local setting', async () => {
    const error = await failure(local('custom', 'https://llm.example.com/v1'), true);
    expect(error.message).toMatch(/proxy/);
    expect(error.message).not.toContain('Access-Control-Allow-Origin');
  });
});

describe('Detect local servers', () => {
  it('offers the servers that answer, with their models, and leaves out closed ports', async () => {
    const found = await detectLocalServers([
      { presetId: 'ollama', baseURL: mock.url },
      { presetId: 'lmstudio', baseURL: CLOSED },
      { presetId: 'llamacpp', baseURL: mock.url },
    ]);
    expect(found.map((server) => [server.presetId, server.name, server.baseURL])).toEqual([
      ['ollama', 'Ollama', mock.url],
      ['llamacpp', 'llama.cpp server', mock.url],
    ]);
    expect(found[0].models).toEqual(expect.arrayContaining(MOCK_MODELS.map((model) => model.id)));
    expect(found[0].problem).toBeUndefined();
  });

  it('offers a server that runs but refuses this page, with the setting to change', async () => {
    vi.stubGlobal('location', { origin: ORIGIN });
    const found = await detectLocalServers([{ presetId: 'ollama', baseURL: CLOSED }], async () => true);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ presetId: 'ollama', models: [], problem: { kind: 'cors' } });
    expect(found[0].problem?.message).toContain(`OLLAMA_ORIGINS=${ORIGIN}`);
  });

  it('probes the three local presets at their default ports unless told otherwise', () => {
    expect(DEFAULT_LOCAL_TARGETS).toEqual([
      { presetId: 'ollama', baseURL: 'http://localhost:11434/v1' },
      { presetId: 'lmstudio', baseURL: 'http://localhost:1234/v1' },
      { presetId: 'llamacpp', baseURL: 'http://localhost:8080/v1' },
    ]);
  });
});
