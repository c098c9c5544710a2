/**
 * Chromium for the bench: which binary, launch flags that work on our machines, fresh
 * contexts, and CDP access to a page's main thread and to the SharedWorker.
 */
import { CHROMIUM_ARGS, chromiumPath } from '../../tests/fixtures/chromium';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type CDPSession,
  type Page,
} from '@playwright/test';

/** The browser tests' binary and flags: one definition for both. */
export { CHROMIUM_ARGS, chromiumPath };

export const LAUNCH_OPTIONS = { executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true };

/**
 * Service workers are blocked: precaching the app in the background would add noise to every
 * timing, and none of the measurements is about them. Same window size everywhere.
 */
export const CONTEXT_OPTIONS: BrowserContextOptions = {
  serviceWorkers: 'block',
  viewport: { width: 1280, height: 800 },
};

/**
 * tsx compiles bench code with esbuild's keepNames, which wraps functions in `__name(…)`; a
 * function passed to `page.evaluate` would then throw in the page. Give pages a no-op one.
 */
export const NAME_SHIM = 'globalThis.__name ??= (target) => target;';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch(LAUNCH_OPTIONS);
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext(CONTEXT_OPTIONS);
  await context.addInitScript({ content: NAME_SHIM });
  return context;
}

/** A persistent profile (history scale: data that survives a browser restart). */
export async function launchPersistent(userDataDir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, { ...LAUNCH_OPTIONS, ...CONTEXT_OPTIONS });
  await context.addInitScript({ content: NAME_SHIM });
  return context;
}

/** Main-thread time of a page, in ms, from the CDP Performance domain. */
export interface MainThreadTime {
  task: number;
  script: number;
  layout: number;
  style: number;
}

export async function startMainThreadMetrics(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return cdp;
}

export async function mainThreadTime(cdp: CDPSession): Promise<MainThreadTime> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => (metrics.find((metric) => metric.name === name)?.value ?? 0) * 1000;
  return {
    task: value('TaskDuration'),
    script: value('ScriptDuration'),
    layout: value('LayoutDuration'),
    style: value('RecalcStyleDuration'),
  };
}

export function timeBetween(before: MainThreadTime, after: MainThreadTime): MainThreadTime {
  return {
    task: after.task - before.task,
    script: after.script - before.script,
    layout: after.layout - before.layout,
    style: after.style - before.style,
  };
}

/** A page's JS heap after a full GC, in bytes. */
export async function pageHeapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usedSize;
  } finally {
    await cdp.detach();
  }
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  browserContextId?: string;
}

interface RemoteResult {
  result?: {
    result?: { value?: unknown; description?: string };
    exceptionDetails?: { text?: string; exception?: { description?: string } };
  };
  error?: { message: string };
}

/**
 * A CDP session on the context's SharedWorker (Playwright has no handle on it). Attached
 * through the browser session with `flatten: false`: Playwright's CDPSession cannot address a
 * flat child session, so commands go through `Target.sendMessageToTarget`.
 */
export class WorkerSession {
  readonly #browserSession: CDPSession;
  readonly #sessionId: string;
  readonly #pending = new Map<number, (message: RemoteResult) => void>();
  #nextId = 1;

  private constructor(browserSession: CDPSession, sessionId: string) {
    this.#browserSession = browserSession;
    this.#sessionId = sessionId;
    browserSession.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
      if (event.sessionId !== this.#sessionId) return;
      const message = JSON.parse(event.message) as RemoteResult & { id?: number };
      if (message.id === undefined) return;
      this.#pending.get(message.id)?.(message);
      this.#pending.delete(message.id);
    });
  }

  /** Attach to the SharedWorker of `page`'s context (waits for it to start). */
  static async attach(browser: Browser, page: Page, timeoutMs = 10_000): Promise<WorkerSession> {
    const pageSession = await page.context().newCDPSession(page);
    const { targetInfo } = (await pageSession.send('Target.getTargetInfo')) as { targetInfo: TargetInfo };
    await pageSession.detach();
    const browserSession = await browser.newBrowserCDPSession();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { targetInfos } = (await browserSession.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
      const worker = targetInfos.find(
        (target) => target.type === 'shared_worker' && target.browserContextId === targetInfo.browserContextId,
      );
      if (worker) {
        const { sessionId } = (await browserSession.send('Target.attachToTarget', {
          targetId: worker.targetId,
          flatten: false,
        })) as {
          sessionId: string;
        };
        return new WorkerSession(browserSession, sessionId);
      }
      if (Date.now() > deadline) throw new Error('bench: no SharedWorker target appeared');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<RemoteResult['result']> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (message) =>
        message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result),
      );
      this.#browserSession
        .send('Target.sendMessageToTarget', { sessionId: this.#sessionId, message: JSON.stringify({ id, method, params }) })
        .catch(reject);
    });
  }

  /** Evaluate an expression in the worker (promises awaited); its value, as JSON. */
  async evaluate<T>(expression: string): Promise<T> {
    const result = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (result?.exceptionDetails) {
      throw new Error(`worker: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
    }
    return result?.result?.value as T;
  }

  /** The worker's JS heap after a full GC, in bytes. */
  async heapAfterGc(): Promise<number> {
    await this.send('HeapProfiler.collectGarbage');
    const usage = (await this.send('Runtime.getHeapUsage')) as unknown as { usedSize: number };
    return usage.usedSize;
  }

  async detach(): Promise<void> {
    await this.#browserSession.detach().catch(() => undefined);
  }
}
