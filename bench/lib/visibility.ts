/**
 * Headless Chromium shows every page: minimised windows and background targets stay `visible`.
 * The bench hides a page the way the app sees it: `document.visibilityState` and `hidden`
 * overridden in the page, and a `visibilitychange` event. No app code is involved; the page
 * still produces frames if anything on it animates, which a truly hidden page would not.
 */
import type { Page } from '@playwright/test';

export function setPageVisibility(page: Page, state: 'visible' | 'hidden'): Promise<void> {
  return page.evaluate((wanted) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => wanted });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => wanted === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}
