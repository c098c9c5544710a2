/**
 * Driving the bench build of the app from Node: the core's API (exposed on
 * `window.__parleyBench` in `PARLEY_BENCH=1` builds only), waiting on DOM states, and reading
 * the probe the tab's store fills.
 */
import type { Page } from '@playwright/test';
import type { Conversation, Message, Provider, Result } from '../../src/shared/protocol';
import type { BenchProbe, DeltaTiming } from '../../src/ui/state/bench-probe';

export type { DeltaTiming };

declare global {
  interface Window {
    __parleyBench?: BenchProbe;
  }
}

/** Load a route of the app and wait until the tab is attached to the core. */
export async function openApp(page: Page, appUrl: string, path = '/'): Promise<void> {
  await page.goto(`${appUrl}${path}`);
  await page.waitForFunction(() => Boolean(window.__parleyBench?.api), undefined, { timeout: 20_000 });
}

/** Call one method of the core's API from the page, as the tab would. */
export function callApi<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([name, parameters]) => {
      const api = window.__parleyBench!.api as Record<string, (...values: unknown[]) => Promise<unknown>>;
      return api[name](...parameters);
    },
    [method, args] as const,
  ) as Promise<T>;
}

function unwrap<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`bench: ${what} failed: ${result.error.message}`);
  return result.value;
}

/** The mock as a Custom provider; returns its id. */
export async function addMockProvider(page: Page, mockUrl: string): Promise<string> {
  const provider = unwrap(
    await callApi<Result<Provider>>(page, 'saveProvider', { presetId: 'custom', name: 'Mock', baseURL: mockUrl, enabled: true }),
    'saving the mock provider',
  );
  return provider.id;
}

export async function createConversation(page: Page, providerId: string, modelId: string, title?: string): Promise<string> {
  const conversation = unwrap(
    await callApi<Result<Conversation>>(page, 'createConversation', { providerId, modelId, ...(title ? { title } : {}) }),
    'creating a conversation',
  );
  return conversation.id;
}

export async function sendMessage(page: Page, conversationId: string, text: string): Promise<void> {
  unwrap(await callApi<Result<unknown>>(page, 'sendMessage', conversationId, text), 'sending');
}

/** Open `/c/<id>` and wait until its (empty or stored) messages are loaded and its session opened. */
export async function openConversation(page: Page, appUrl: string, conversationId: string): Promise<void> {
  await openApp(page, appUrl, `/c/${encodeURIComponent(conversationId)}`);
  await page.waitForSelector('[data-testid="composer"]');
  await page.waitForFunction(() => document.querySelector('.chat-empty') || document.querySelector('[data-testid="message"]'));
}

/**
 * Resolves when the last assistant message has `status`. Watches the attribute with a
 * MutationObserver instead of polling, so waiting costs the page next to nothing.
 */
export function waitForLastReply(page: Page, status = 'complete', timeoutMs = 120_000): Promise<void> {
  return page.evaluate(
    ([wanted, timeout]) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          const replies = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
          const last = replies[replies.length - 1];
          if (last?.getAttribute('data-status') === wanted) {
            observer.disconnect();
            clearTimeout(timer);
            resolve();
          }
        };
        const observer = new MutationObserver(check);
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`no reply reached ${wanted} within ${timeout} ms`));
        }, timeout);
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
        check();
      }),
    [status, timeoutMs] as const,
  );
}

/** The stored messages of a conversation, read through the core. */
export function listMessages(page: Page, conversationId: string): Promise<Message[]> {
  return callApi<Message[]>(page, 'listMessages', conversationId);
}

/** Empty the tab's probe (before a measured reply, or before a heap measurement). */
export function resetProbe(page: Page): Promise<void> {
  return page.evaluate(() => {
    const probe = window.__parleyBench;
    if (probe) {
      probe.deltas = [];
      probe.frames = [];
    }
  });
}

export function readProbe(page: Page): Promise<{ deltas: DeltaTiming[]; frames: number[] }> {
  return page.evaluate(() => ({ deltas: window.__parleyBench?.deltas ?? [], frames: window.__parleyBench?.frames ?? [] }));
}

/** Wait two frames: whatever the last change was, it has been painted. */
export function settleFrames(page: Page): Promise<void> {
  return page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve)))),
  );
}

/** Start collecting long tasks (PerformanceObserver 'longtask') in the page. */
export function watchLongTasks(page: Page): Promise<void> {
  return page.evaluate(() => {
    const scope = window as unknown as { __benchLongTasks: number[]; __benchLongTaskObserver?: PerformanceObserver };
    scope.__benchLongTasks = [];
    scope.__benchLongTaskObserver?.disconnect();
    scope.__benchLongTaskObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) scope.__benchLongTasks.push(entry.duration);
    });
    scope.__benchLongTaskObserver.observe({ type: 'longtask' });
  });
}

/** Durations (ms) of the long tasks seen since `watchLongTasks`. */
export async function longTasks(page: Page): Promise<number[]> {
  // Entries are delivered asynchronously: give the observer a task to catch up.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
  return page.evaluate(() => (window as unknown as { __benchLongTasks?: number[] }).__benchLongTasks ?? []);
}
