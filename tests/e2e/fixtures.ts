/**
 * The browser tests' `test`: Playwright's, plus the `sharedWorker` option. The
 * `no-shared-worker` project (playwright.config.ts) sets it false: every page of the test's
 * context then starts without `SharedWorker`, as in Chrome for Android before 148 or an Android
 * WebView, and Parley runs its fallback (a leader tab's dedicated worker, and a relay).
 */
import { expect, test as base } from '@playwright/test';

export interface ParleyOptions {
  /** False: `SharedWorker` is deleted before the app runs. */
  sharedWorker: boolean;
}

export const test = base.extend<ParleyOptions>({
  sharedWorker: [true, { option: true }],
  context: async ({ context, sharedWorker }, use) => {
    if (!sharedWorker) {
      await context.addInitScript(() => {
        delete (window as { SharedWorker?: unknown }).SharedWorker;
      });
    }
    await use(context);
    // Never a silent pass on the path this project exists for: had the deletion not taken, a
    // SharedWorker would have started. Asked of the browser, not a page: a page may have crashed.
    if (!sharedWorker) {
      const browser = await context.browser()!.newBrowserCDPSession();
      const { targetInfos } = (await browser.send('Target.getTargets')) as { targetInfos: Array<{ type: string }> };
      await browser.detach();
      expect(
        targetInfos.filter((target) => target.type === 'shared_worker'),
        'a SharedWorker ran despite its deletion',
      ).toEqual([]);
    }
  },
});

export { expect };
