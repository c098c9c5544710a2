import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startMockLlm, type MockLlm } from '../fixtures/mock-llm';
import { startStaticServer, type StaticServer } from '../fixtures/static-server';
import { addMockProvider, lastReply, newConversation, replyText, send } from './helpers';

/**
 * The installable, offline app. These tests run their own web server and mock provider (not
 * the suite's), because they stop and restart them: "offline" for a SharedWorker means the
 * servers are gone (context.setOffline does not reach it).
 */
let app: StaticServer;
let mock: MockLlm;

test.beforeEach(async () => {
  app = await startStaticServer('dist');
  mock = await startMockLlm();
});
test.afterEach(async () => {
  await app.stop();
  await mock.close().catch(() => undefined);
});

/** Wait until the service worker has installed and controls the page. */
async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) {
    await page.reload();
  }
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
}

test('installable: manifest, icons, and a service worker in control', async ({ page }) => {
  await page.goto(app.url);
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await page.request.get(new URL(manifestHref!, app.url).href)).json();
  expect(manifest).toMatchObject({ name: 'Parley', short_name: 'Parley', display: 'standalone', start_url: '/', scope: '/' });
  expect(manifest.description).toBeTruthy();
  expect(manifest.theme_color).toBeTruthy();
  expect(manifest.background_color).toBeTruthy();
  const sizes = manifest.icons.map((icon: { sizes: string; purpose: string }) => `${icon.sizes}/${icon.purpose}`);
  expect(sizes).toEqual(expect.arrayContaining(['192x192/any', '512x512/any', '512x512/maskable']));
  for (const icon of manifest.icons) {
    const response = await page.request.get(new URL(icon.src, app.url).href);
    expect(response.status(), icon.src).toBe(200);
  }
  await waitForServiceWorker(page);
  // Chromium's own verdict.
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
    installabilityErrors: Array<{ errorId: string }>;
  };
  // Playwright's contexts are incognito-like; that is the only objection allowed.
  expect(installabilityErrors.filter((error) => error.errorId !== 'in-incognito')).toEqual([]);
});

test('offline: reload and deep links show the whole history, prices and the offline indicator', async ({ page }) => {
  await addMockProvider(page, { appUrl: app.url, mockUrl: mock.url });
  const id = await newConversation(page, 'mock-markdown');
  await send(page, 'Show me code');
  await expect(lastReply(page)).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
  const text = await lastReply(page).getByTestId('message-content').innerText();
  await waitForServiceWorker(page);

  await app.stop();
  await mock.close();
  await page.reload();
  await expect(page.getByTestId('offline-indicator')).toBeVisible();
  await expect(page.locator(`[data-testid="conversation-item"][data-id="${id}"]`)).toBeVisible();
  await expect(page.getByTestId('message')).toHaveCount(2);
  await expect.poll(() => lastReply(page).getByTestId('message-content').innerText()).toBe(text);
  await page.getByTestId('model-picker').click();
  await expect(page.locator('[data-testid="model-option"][data-model-id="mock-fast"]')).toContainText('per 1M');

  for (const path of ['/settings', `/c/${id}`]) {
    await page.goto(`${app.url}${path}`);
    await expect(page.getByTestId('conversation-list')).toBeVisible();
  }
  await expect(page.getByTestId('message')).toHaveCount(2);
  // Bring the mock back so afterEach can close it.
  mock = await startMockLlm();
});

test('offline send: the message waits visibly and goes out when the provider is back', async ({ page }) => {
  const port = mock.port;
  await addMockProvider(page, { appUrl: app.url, mockUrl: mock.url });
  await newConversation(page, 'mock-fast');
  await mock.close();

  await send(page, 'Sent while offline');
  await expect(page.getByTestId('offline-indicator')).toBeVisible();
  await expect(lastReply(page)).toHaveAttribute('data-status', 'streaming');
  await expect(lastReply(page).getByTestId('message-note')).toContainText('goes out when the provider can be reached');
  await expect(page.locator('[data-testid="message"][data-role="user"]')).toHaveText(/Sent while offline/);

  mock = await startMockLlm({ port });
  await expect(lastReply(page)).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
  await expect(lastReply(page).getByTestId('message-content')).toHaveText((await replyText('mock-fast')).trim());
  await expect(page.getByTestId('offline-indicator')).toHaveCount(0);
});

test('a reply outlives its only tab (extendedLifetime) and is complete on reopen', async ({ context }) => {
  const model = 'mock-slow:tokens=60:delay=40';
  const page = await context.newPage();
  await addMockProvider(page, { appUrl: app.url, mockUrl: mock.url });
  const id = await newConversation(page, model);
  await send(page, 'Long one');
  await expect(lastReply(page)).toHaveAttribute('data-status', 'streaming');
  await expect(lastReply(page).getByTestId('message-content')).not.toHaveText('');
  await page.close();

  const request = mock.chatRequests()[0];
  await request.done;
  expect(request.aborted).toBe(false);

  const reopened = await context.newPage();
  await reopened.goto(`${app.url}/c/${id}`);
  await expect(lastReply(reopened)).toHaveAttribute('data-status', 'complete');
  await expect(lastReply(reopened).getByTestId('message-content')).toHaveText((await replyText(model)).trim());
});

test('update: a new build shows update-available, and the old build’s tab is told to reload', async ({ context }) => {
  test.setTimeout(120_000);
  const newBuild = '.e2e-builds/next';
  // Built again whenever `dist` is newer: a stale "next" build would be an older app (an older
  // database version, even), not a newer one.
  const stale =
    !existsSync(`${newBuild}/index.html`) || statSync(`${newBuild}/index.html`).mtimeMs < statSync('dist/index.html').mtimeMs;
  if (stale) {
    execFileSync('npx', ['vite', 'build', '--outDir', newBuild, '--emptyOutDir', '--logLevel', 'error'], {
      env: { ...process.env, PARLEY_BUILD_ID: '29991231235959' },
      stdio: 'inherit',
    });
  }
  const scriptOf = (page: Page) => page.evaluate(() => document.querySelector('script[type=module]')?.getAttribute('src'));
  const old = await context.newPage();
  await old.goto(app.url);
  await expect(old.getByTestId('empty-state')).toBeVisible();
  await waitForServiceWorker(old);
  const oldScript = await scriptOf(old);

  // Deploy. The open tab's service worker finds the new build and offers it.
  app.setDirectory(newBuild);
  await old.evaluate(() => navigator.serviceWorker.getRegistration().then((registration) => registration?.update()));
  await expect(old.getByTestId('update-available')).toBeVisible();

  // A tab that loads the new build from the network (as a hard reload does) starts the new
  // core; the old core hears of it and tells its tab.
  const fresh = await context.newPage();
  const cdp = await context.newCDPSession(fresh);
  await cdp.send('Network.enable');
  await cdp.send('Network.setBypassServiceWorker', { bypass: true });
  await fresh.goto(app.url);
  await expect(fresh.getByTestId('empty-state')).toBeVisible();
  expect(await scriptOf(fresh)).not.toBe(oldScript);
  await expect(old.getByTestId('core-outdated')).toBeVisible();

  // Reloading from the banner brings the old tab onto the new build.
  await old.getByTestId('update-available').getByRole('button').click();
  await expect.poll(() => scriptOf(old).catch(() => oldScript)).toBe(await scriptOf(fresh));
  await expect(old.getByTestId('update-available')).toHaveCount(0);
  await expect(old.getByTestId('core-outdated')).toHaveCount(0);
});
