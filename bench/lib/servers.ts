/**
 * The two servers a bench run needs, both in this process on ephemeral ports: the built app
 * (the tests' static host, with the bench's own pages under `/__bench/`) and the mock provider.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockLlm, type MockLlm } from '../../tests/fixtures/mock-llm';
import { startStaticServer } from '../../tests/fixtures/static-server';

/** The bench's own pages (the plain-text floor, the seeding page), served under `/__bench/`. */
export const PAGES_DIRECTORY = fileURLToPath(new URL('../pages/', import.meta.url));

export interface AppServer {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  close(): Promise<void>;
}

/** Serve a built app from `directory` on 127.0.0.1, on any free port. */
export async function startAppServer(directory: string): Promise<AppServer> {
  const server = await startStaticServer(resolve(directory), { mounts: { '/__bench/': PAGES_DIRECTORY } });
  return { url: server.url, close: () => server.stop() };
}

/** The mock OpenAI-compatible provider of the tests, in this process. */
export function startMock(): Promise<MockLlm> {
  return startMockLlm({ port: 0, host: '127.0.0.1' });
}
