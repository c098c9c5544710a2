/**
 * Two devices (two browser profiles) and one CouchDB-compatible server (pouchdb-server, started
 * here on loopback behind a proxy the test can cut): end-to-end encrypted sync as a person
 * uses it, from Settings → Sync.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { startSyncServer, SYNC_LOGIN, type SyncServer } from '../fixtures/sync-server';
import { addMockProvider, lastReply, MOCK_URL, newConversation, send } from './helpers';

let server: SyncServer;
test.beforeAll(async () => {
  server = await startSyncServer();
});
test.afterAll(async () => {
  await server?.close();
});

const PASSPHRASE = 'correct horse battery staple';
const API_KEY = 'sk-e2e-sync-secret-0123456789';

const devices: BrowserContext[] = [];
test.afterEach(async () => {
  // Each device's core would go on syncing (and count as a SharedWorker) in the tests after.
  for (const context of devices.splice(0)) await context.close();
});

/** A fresh browser profile: a device of its own. */
async function newDevice(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  devices.push(context);
  return context.newPage();
}

async function turnOnSync(page: Page, url: string): Promise<void> {
  await page.goto('/settings');
  await page.getByTestId('sync-url').fill(url);
  await page.getByTestId('sync-username').fill(SYNC_LOGIN.username);
  await page.getByTestId('sync-password').fill(SYNC_LOGIN.password);
  await page.getByTestId('sync-passphrase').fill(PASSPHRASE);
  await page.getByTestId('sync-enable').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
}

const item = (page: Page, title: string) => page.locator('[data-testid="conversation-item"]', { hasText: title });

test('a conversation made on one device appears on the other; the server holds no plaintext and no key; turning sync off keeps everything', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const url = await server.createDatabase();
  const a = await newDevice(browser);
  await addMockProvider(a, { apiKey: API_KEY });
  const id = await newConversation(a, 'mock-echo');
  await send(a, 'Plan three days in Lisbon');
  await expect(lastReply(a)).toHaveAttribute('data-status', 'complete');
  await turnOnSync(a, url);

  const b = await newDevice(browser);
  await turnOnSync(b, url);
  await expect(item(b, 'Plan three days in Lisbon')).toBeVisible({ timeout: 30_000 });
  await item(b, 'Plan three days in Lisbon').click();
  await expect(lastReply(b)).toHaveText(/You said: Plan three days in Lisbon/);
  // The provider came too, without a key; B can pick the model and go on.
  await expect(b.getByTestId('model-picker')).toContainText(/Mock Echo|mock-echo/);

  // Live: a new reply on B appears in A's open conversation, with no reload.
  await a.goto(`/c/${id}`);
  await expect(lastReply(a)).toHaveText(/You said: Plan three days in Lisbon/);
  await send(b, 'And a day trip?');
  await expect(lastReply(b)).toHaveAttribute('data-status', 'complete');
  await expect(lastReply(a)).toHaveText(/You said: And a day trip\?/, { timeout: 30_000 });

  const dump = await server.dump(new URL(url).pathname.slice(1));
  for (const secret of ['Lisbon', 'day trip', 'You said', 'mock-echo', MOCK_URL, id, API_KEY]) expect(dump).not.toContain(secret);

  await b.goto('/settings');
  await b.getByRole('button', { name: 'Turn off sync…' }).click();
  await b.getByTestId('sync-disable').click();
  await expect(b.getByTestId('sync-status')).toHaveAttribute('data-state', 'off');
  await b.reload();
  await expect(item(b, 'Plan three days in Lisbon')).toBeVisible();
});

test('both devices write while the server is down; once it is back both see everything, a title renamed on both converges, and a streaming reply waits for its end', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const url = await server.createDatabase();
  const a = await newDevice(browser);
  await addMockProvider(a, { apiKey: API_KEY });
  const shared = await newConversation(a, 'mock-echo');
  await send(a, 'Shared question');
  await expect(lastReply(a)).toHaveAttribute('data-status', 'complete');
  await turnOnSync(a, url);
  const b = await newDevice(browser);
  await turnOnSync(b, url);
  await expect(item(b, 'Shared question')).toBeVisible({ timeout: 30_000 });

  await server.stop();
  await a.goto(`/c/${shared}`);
  await send(a, 'Written on A while offline');
  await expect(lastReply(a)).toHaveAttribute('data-status', 'complete');
  await b.goto('/');
  await b.getByTestId('new-chat').click();
  await send(b, 'Made on B while offline');
  await expect(lastReply(b)).toHaveAttribute('data-status', 'complete');
  for (const [page, title] of [
    [a, 'Renamed on A'],
    [b, 'Renamed on B'],
  ] as const) {
    const row = page.locator('.conversation-row', { has: page.locator(`[data-id="${shared}"]`) });
    await row.hover();
    await row.getByTestId('rename-conversation').click();
    await page.getByTestId('conversation-title-input').fill(title);
    await page.getByTestId('conversation-title-input').press('Enter');
  }
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-state', 'offline', { timeout: 30_000 });

  await server.start();
  // "Sync now" goes at once (PouchDB's own retry may wait longer).
  for (const page of [a, b]) {
    await page.goto('/settings');
    await page.getByTestId('sync-now').click();
  }
  for (const page of [a, b]) {
    await expect(item(page, 'Made on B while offline')).toBeVisible({ timeout: 30_000 });
    // B renamed last: its title wins on both.
    await expect(page.locator(`[data-testid="conversation-item"][data-id="${shared}"]`)).toHaveText('Renamed on B', {
      timeout: 30_000,
    });
    await page.goto(`/c/${shared}`);
    await expect(page.getByTestId('message-content')).toContainText(['Written on A while offline']);
  }

  // A reply still streaming on A (15 s of it, longer than the question takes to reach B on a busy
  // machine) is not on the server: B sees the question, and the reply once it ends.
  await a.goto(`/c/${shared}`);
  await a.getByTestId('model-picker').click();
  await a.getByLabel('Search models').fill('mock-slow:tokens=300:delay=50');
  await a.locator('[data-testid="model-option"]').first().click();
  await send(a, 'Tell it slowly');
  await expect(lastReply(a)).toHaveAttribute('data-status', 'streaming');
  await b.goto(`/c/${shared}`);
  await expect(b.locator('[data-testid="message"][data-role="user"]').last()).toHaveText(/Tell it slowly/, { timeout: 30_000 });
  await expect(lastReply(a)).toHaveAttribute('data-status', 'streaming');
  await expect(b.locator('[data-testid="message"][data-role="assistant"][data-status="streaming"]')).toHaveCount(0);
  await expect(lastReply(a)).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
  await expect(lastReply(b)).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });

  expect(await server.dump(new URL(url).pathname.slice(1))).not.toContain(API_KEY);
});
