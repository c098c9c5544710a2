import { expect, test, type Page } from '@playwright/test';
import { addMockProvider, lastReply, newConversation, pickModel, send } from './helpers';

/**
 * The look of the app, for people to check by eye: empty state, a conversation with code and a
 * table, a reply mid-stream, and a reasoning reply collapsed and open, at desktop and phone sizes,
 * light and dark. Written to test-results/screenshots/ (not compared: a picture is judged by a
 * person).
 */
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 375, height: 812 },
] as const;

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}

for (const size of SIZES) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`screenshots ${size.name} ${scheme}`, async ({ page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('/');
      await expect(page.getByTestId('empty-state')).toBeVisible();
      await shoot(page, `${size.name}-${scheme}-empty`);

      await addMockProvider(page);
      if (size.name === 'phone') await page.getByTestId('open-sidebar').click();
      await newConversation(page, 'mock-markdown');
      await send(page, 'Show me some code and a table, please.');
      await expect(lastReply(page)).toHaveAttribute('data-status', 'streaming');
      await page.waitForTimeout(400);
      await shoot(page, `${size.name}-${scheme}-streaming`);
      await expect(lastReply(page)).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
      await shoot(page, `${size.name}-${scheme}-code`);
      await page.locator('.markdown table').first().scrollIntoViewIfNeeded();
      await shoot(page, `${size.name}-${scheme}-table`);

      // A local model's reasoning (inside <think> tags): collapsed with its time, then open.
      await pickModel(page, 'mock-think:delay=120');
      await send(page, 'Think first, then answer.');
      await expect(lastReply(page).getByTestId('reasoning').locator('summary')).toHaveText('Thinking…');
      await expect(lastReply(page).getByTestId('reasoning').locator('summary')).toHaveText(/Thought for \d+ s/, {
        timeout: 30_000,
      });
      await expect(lastReply(page)).toHaveAttribute('data-status', 'complete');
      await shoot(page, `${size.name}-${scheme}-reasoning`);
      await lastReply(page).getByTestId('reasoning').locator('summary').click();
      await shoot(page, `${size.name}-${scheme}-reasoning-open`);
    });
  }
}
