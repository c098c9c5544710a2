/**
 * Export and import across browser profiles, and a history of 5,000 messages (issue 5).
 */
import { expect, test, type Page } from '@playwright/test';
import { addMockProvider, lastReply, newConversation, send } from './helpers';

/** A Parley export of one conversation; `messages` of them, alternating user and assistant. */
function exportFile(
  title: string,
  messages: number,
  patch: (message: Record<string, unknown>, index: number) => void = () => undefined,
): string {
  const conversationId = `imported-${title.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}`;
  return JSON.stringify({
    format: 'parley-export',
    version: 1,
    exportedAt: Date.now(),
    providers: [],
    models: [],
    conversations: [
      {
        id: conversationId,
        title,
        providerId: '',
        modelId: '',
        createdAt: 1_000,
        updatedAt: Date.now(),
        usage: { promptTokens: 0, completionTokens: 0 },
        cost: 0,
      },
    ],
    messages: Array.from({ length: messages }, (_, index) => {
      const message: Record<string, unknown> = {
        id: `${conversationId}-m${index}`,
        conversationId,
        role: index % 2 === 0 ? 'user' : 'assistant',
        content: `Message number ${index}`,
        status: 'complete',
        createdAt: 1_000 + index,
        updatedAt: 1_000 + index,
      };
      patch(message, index);
      return message;
    }),
  });
}

async function importFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

test.describe('export and import', () => {
  test('an export imports into a fresh browser profile; a broken file is refused with the reason and nothing changes', async ({
    page,
    browser,
  }) => {
    await addMockProvider(page);
    const id = await newConversation(page, 'mock-fast');
    await send(page, 'Plan a trip');
    await expect(lastReply(page)).toHaveAttribute('data-status', 'complete');
    await page.goto('/settings');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-data').click();
    const path = await (await download).path();
    expect((await download).suggestedFilename()).toMatch(/^parley-\d{4}-\d{2}-\d{2}\.json$/);

    const fresh = await browser.newContext();
    try {
      const other = await fresh.newPage();
      await other.goto('/settings');
      await other.getByTestId('import-file').setInputFiles(path);
      await expect(other.getByTestId('import-report')).toHaveText('Imported 1 conversation, 2 messages and 1 provider.');
      await expect(other.locator(`[data-testid="conversation-item"][data-id="${id}"]`)).toHaveText('Plan a trip');
      await expect(other.getByTestId('provider-item')).toHaveCount(1);

      // Broken: the 12th message of "Trip" has no role. Rejected whole, with the reason.
      await importFile(
        other,
        'broken.json',
        exportFile('Trip', 20, (message, index) => void (index === 11 && delete message.role)),
      );
      await expect(other.getByTestId('import-error')).toHaveText(
        'This file cannot be imported: message 12 of conversation “Trip” has no role. Nothing was imported.',
      );
      await expect(other.getByTestId('import-report')).toHaveCount(0);
      await expect(other.getByTestId('conversation-item')).toHaveCount(1);
      // Not JSON at all, and a hostile key.
      await importFile(other, 'cut.json', exportFile('Trip', 3).slice(0, 200));
      await expect(other.getByTestId('import-error')).toContainText('it is not valid JSON');
      await importFile(other, 'proto.json', exportFile('Trip', 3).replace('"title"', '"__proto__":{"polluted":true},"title"'));
      await expect(other.getByTestId('import-error')).toContainText('a field named "__proto__"');
      await expect(other.getByTestId('conversation-item')).toHaveCount(1);
      expect(await other.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });

  test('fault 11: a conversation of 5,000 messages is listed and rendered without losing one', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/settings');
    await importFile(page, 'long.json', exportFile('Five thousand', 5000));
    await expect(page.getByTestId('import-report')).toHaveText('Imported 1 conversation, 5,000 messages and 0 providers.', {
      timeout: 30_000,
    });
    await page.locator('[data-testid="conversation-item"]', { hasText: 'Five thousand' }).click();
    const messages = page.getByTestId('message');
    await expect(messages.last()).toContainText('Message number 4999');
    // "Show earlier" until there is none: clicked in the page, since each of Playwright's own
    // clicks checks the whole (large, growing) page first and the test would measure that.
    await page.evaluate(async () => {
      for (let clicks = 0; clicks < 100; clicks++) {
        const more = document.querySelector<HTMLButtonElement>('button.show-earlier');
        if (!more) return;
        more.click();
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    });
    await expect(messages).toHaveCount(5000, { timeout: 30_000 });
    await expect(messages.first()).toContainText('Message number 0');
    const numbers = await page
      .locator('[data-testid="message-content"]')
      .evaluateAll((contents) => contents.map((content) => Number(/Message number (\d+)/.exec(content.textContent ?? '')?.[1])));
    expect(numbers).toEqual(Array.from({ length: 5000 }, (_, index) => index));
  });
});
