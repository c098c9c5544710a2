import { fileURLToPath } from 'node:url';
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

/** Search and import, for people to check by eye (issue 14). */
const IMPORTS = fileURLToPath(new URL('../fixtures/imports', import.meta.url));

/** Enough made-up ChatGPT conversations that the import takes a few seconds. */
function bigChatGptExport(count: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, index) => {
      const id = `5c0ee000-0000-4000-8000-${String(index).padStart(12, '0')}`;
      const node = (nodeId: string, parent: string | null, children: string[], role: string, text: string) => ({
        id: nodeId,
        parent,
        children,
        message: {
          id: nodeId,
          author: { role },
          create_time: 1_700_000_000 + index,
          content: { content_type: 'text', parts: [text] },
          recipient: 'all',
        },
      });
      return {
        title: `Notes ${index}`,
        create_time: 1_700_000_000 + index,
        update_time: 1_700_000_000 + index,
        conversation_id: id,
        current_node: 'a',
        mapping: {
          q: node('q', null, ['a'], 'user', `Question ${index} ${'about the harbour '.repeat(20)}`),
          a: node('a', 'q', [], 'assistant', `Answer ${index} ${'the harbour is calm tonight '.repeat(40)}`),
        },
      };
    }),
  );
}

for (const [size, scheme] of [
  [SIZES[0], 'light'],
  [SIZES[1], 'dark'],
] as const) {
  test(`screenshots search palette ${size.name} ${scheme}`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/settings');
    await page
      .getByTestId('import-file')
      .setInputFiles([
        `${IMPORTS}/chatgpt-conversations.json`,
        `${IMPORTS}/conversations-000.json`,
        `${IMPORTS}/conversations-001.json`,
      ]);
    await expect(page.getByTestId('import-report')).toBeVisible();
    await page.getByTestId('import-report').scrollIntoViewIfNeeded();
    await shoot(page, `${size.name}-${scheme}-import-report`);
    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').pressSequentially('lisbon da');
    await expect(page.getByTestId('search-result').first()).toBeVisible();
    await shoot(page, `${size.name}-${scheme}-search-palette`);
  });
}

test('screenshots import progress desktop light', async ({ page }) => {
  await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
  await page.goto('/settings');
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'conversations.json', mimeType: 'application/json', buffer: Buffer.from(bigChatGptExport(3000)) });
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await expect(page.getByText(/Writing conversations… [1-9]/)).toBeVisible();
  await page.getByTestId('import-progress').scrollIntoViewIfNeeded();
  await shoot(page, 'desktop-light-import-progress');
  await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 60_000 });
});
