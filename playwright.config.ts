import { defineConfig } from '@playwright/test';
import type { ParleyOptions } from './tests/e2e/fixtures';
import { CHROMIUM_ARGS, chromiumPath } from './tests/fixtures/chromium';

/**
 * Chromium: `PARLEY_CHROMIUM` if set, else Debian's /usr/bin/chromium, else Playwright's own
 * (`npx playwright install chromium` on a laptop). Under CI a missing browser is an error,
 * never a silent skip.
 */
function browserPath(): string | undefined {
  const found = chromiumPath();
  if (!found && process.env.CI) {
    throw new Error('No Chromium found: install it (apt-get install -y chromium) or set PARLEY_CHROMIUM.');
  }
  return found;
}

export const APP_PORT = Number(process.env.PARLEY_E2E_PORT ?? 4173);
export const MOCK_PORT = Number(process.env.PARLEY_MOCK_PORT ?? 5199);

export default defineConfig<ParleyOptions>({
  testDir: 'tests/e2e',
  // Two cores: one browser at a time, each test in its own context (own storage, own worker).
  workers: 1,
  fullyParallel: false,
  retries: 0,
  // Under CI a stray `test.only` would silently skip the rest.
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: browserPath(),
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: 'chromium' },
    {
      // The fallback for browsers without SharedWorker (Chrome for Android before 148, Android
      // WebViews): the suites where tabs share one core, run again with SharedWorker deleted.
      name: 'no-shared-worker',
      use: { sharedWorker: false },
      testMatch: /\/(two-tabs|faults|takeover)\.spec\.ts$/,
    },
  ],
  webServer: [
    {
      command: `npx vite preview --host 127.0.0.1 --port ${APP_PORT} --strictPort`,
      url: `http://127.0.0.1:${APP_PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: 'npx tsx tests/fixtures/mock-llm-cli.ts',
      url: `http://127.0.0.1:${MOCK_PORT}/v1/models`,
      env: { PORT: String(MOCK_PORT) },
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
  ],
});
