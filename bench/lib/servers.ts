/**
 * The two servers a bench run needs, both in this process on ephemeral ports: the built app
 * (a tiny static server with the SPA fallback a static host gives) and the mock provider.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockLlm, type MockLlm } from '../../tests/fixtures/mock-llm';
import { CONTENT_TYPES as TYPES } from '../../tests/fixtures/static-server';

/** The bench's own pages (the plain-text floor, the seeding page), served under `/__bench/`. */
export const PAGES_DIRECTORY = fileURLToPath(new URL('../pages/', import.meta.url));

export interface AppServer {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  close(): Promise<void>;
}

function fileFor(root: string, pathname: string): string | undefined {
  const bench = pathname.startsWith('/__bench/');
  const base = bench ? PAGES_DIRECTORY : root;
  const file = normalize(join(base, bench ? pathname.slice('/__bench/'.length) : pathname));
  if (!file.startsWith(normalize(base))) return undefined;
  if (existsSync(file) && statSync(file).isFile()) return file;
  // SPA fallback: a path without an extension is a route of the app.
  return bench || extname(pathname) ? undefined : join(root, 'index.html');
}

/** Serve a built app from `directory` on 127.0.0.1 (port 0 = any free port). */
export function startAppServer(directory: string): Promise<AppServer> {
  const root = resolve(directory);
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://bench').pathname);
    const file = fileFor(root, pathname);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    createReadStream(file).pipe(response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolvePromise({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** The mock OpenAI-compatible provider of the tests, in this process. */
export function startMock(): Promise<MockLlm> {
  return startMockLlm({ port: 0, host: '127.0.0.1' });
}
