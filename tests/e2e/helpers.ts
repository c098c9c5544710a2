import { expect, type BrowserContext, type Locator, type Page } from '@playwright/test';

export const MOCK_URL = `http://127.0.0.1:${process.env.PARLEY_MOCK_PORT ?? 5199}/v1`;

/** Add the mock provider through the Settings form, as a person would. */
export async function addMockProvider(
  page: Page,
  options: { name?: string; appUrl?: string; mockUrl?: string; apiKey?: string } = {},
): Promise<void> {
  await page.goto(`${options.appUrl ?? ''}/settings`);
  await page.getByTestId('add-provider').click();
  await page.getByTestId('provider-preset').selectOption('custom');
  await page.getByTestId('provider-name').fill(options.name ?? 'Mock');
  await page.getByTestId('provider-base-url').fill(options.mockUrl ?? MOCK_URL);
  if (options.apiKey) await page.getByTestId('provider-api-key').fill(options.apiKey);
  await page.getByTestId('provider-save').click();
  await expect(page.getByTestId('provider-item')).toHaveCount(1);
}

/** Start a new conversation on a mock model; returns its id. */
export async function newConversation(page: Page, modelId: string): Promise<string> {
  await page.getByTestId('new-chat').click();
  await expect(page).toHaveURL(/\/c\//);
  await pickModel(page, modelId);
  return new URL(page.url()).pathname.split('/').pop()!;
}

export async function pickModel(page: Page, modelId: string): Promise<void> {
  await page.getByTestId('model-picker').click();
  await page.getByLabel('Search models').fill(modelId);
  await page.locator(`[data-testid="model-option"][data-model-id="${modelId}"]`).first().click();
  await expect(page.getByTestId('model-picker')).not.toHaveText(/Choose a model/);
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

/** The last assistant message of the open conversation. */
export function lastReply(page: Page): Locator {
  return page.locator('[data-testid="message"][data-role="assistant"]').last();
}

/** The canonical reply text of a mock model, from the mock itself. */
export function replyText(model: string): Promise<string> {
  return import('../fixtures/mock-llm').then((mock) => mock.replyTextFor(model));
}

export const MOCK_ORIGIN = new URL(MOCK_URL).origin;

export interface LoggedRequest {
  method: string;
  path: string;
  model?: string;
  aborted: boolean;
  finishedAt?: number;
  headers: Record<string, string | undefined>;
  body?: { messages?: Array<{ role: string; content: string | Array<{ type: string; text?: string }> }> };
}

/** The mock provider's request log (shared by the whole suite: filter by a unique model id). */
export async function mockRequests(): Promise<LoggedRequest[]> {
  return (await fetch(`${MOCK_ORIGIN}/__mock/requests`)).json() as Promise<LoggedRequest[]>;
}

export async function chatRequestsFor(model: string): Promise<LoggedRequest[]> {
  return (await mockRequests()).filter((request) => request.path === '/v1/chat/completions' && request.model === model);
}

/** A model id of its own per test, so the shared mock's log can be read per test. */
export function uniqueModel(base: string): string {
  return `${base}:tag=${Date.now()}${Math.floor(Math.random() * 1000)}`;
}

/** Whitespace as rendered differs from the source text (paragraph breaks); the words don't. */
export function words(text: string | Array<{ type: string; text?: string }>): string {
  const plain = typeof text === 'string' ? text : text.map((part) => part.text ?? '').join('');
  return plain.replace(/\s+/g, ' ').trim();
}

export async function replyWords(page: Page): Promise<string> {
  return words(await lastReply(page).getByTestId('message-content').innerText());
}

export async function openSecondTab(context: BrowserContext, conversationId: string): Promise<Page> {
  const other = await context.newPage();
  await other.goto(`/c/${conversationId}`);
  await expect(other.getByTestId('composer')).toBeVisible();
  return other;
}

/** Crash a tab's renderer process (no pagehide, no unload). The CDP call never answers. */
export async function crashRenderer(context: BrowserContext, page: Page): Promise<void> {
  const crashed = page.waitForEvent('crash');
  const cdp = await context.newCDPSession(page);
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
}

export async function sharedWorkerCount(context: BrowserContext, page: Page): Promise<number> {
  const cdp = await context.newCDPSession(page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: Array<{ type: string }> };
  await cdp.detach();
  return targetInfos.filter((target) => target.type === 'shared_worker').length;
}

/**
 * How many cores serve this context's tabs: SharedWorkers, or without them the dedicated workers
 * that run one (only the leader tab has one).
 */
export async function coreCount(context: BrowserContext, page: Page, sharedWorker: boolean): Promise<number> {
  if (sharedWorker) return sharedWorkerCount(context, page);
  const workers = context.pages().flatMap((open) => open.workers());
  return workers.filter((worker) => /\/dedicated-worker-[^/]*\.js$/.test(worker.url())).length;
}
