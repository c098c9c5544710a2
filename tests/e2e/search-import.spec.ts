/**
 * Search and imports in a real browser (issue 14): the palette opens a message on a branch
 * that is not shown; ChatGPT's export comes in as the zip, as split files, or as one big file
 * with a progress bar; a broken file is refused with nothing written.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { addMockProvider, lastReply, newConversation, send } from './helpers';

const FIXTURES = fileURLToPath(new URL('../fixtures/imports', import.meta.url));

/** A ChatGPT export of `count` made-up conversations, four messages each; conversation n mentions "quokka<n>". */
function chatGptExport(count: number): string {
  const conversations = Array.from({ length: count }, (_, index) => {
    const id = `e2e00000-0000-4000-8000-${String(index).padStart(12, '0')}`;
    const texts = [
      `Question ${index}: tell me about the quokka${index} on Rottnest`,
      `Answer ${index}: the quokka${index} is a small marsupial that seems to smile. ${'It lives on islands. '.repeat(8)}`,
      `Follow-up ${index}: what does it eat?`,
      `Answer ${index}: leaves, grasses and succulents.`,
    ];
    const mapping: Record<string, unknown> = { root: { id: 'root', message: null, parent: null, children: ['n0'] } };
    texts.forEach((text, position) => {
      mapping[`n${position}`] = {
        id: `n${position}`,
        parent: position === 0 ? 'root' : `n${position - 1}`,
        children: position < texts.length - 1 ? [`n${position + 1}`] : [],
        message: {
          id: `n${position}`,
          author: { role: position % 2 === 0 ? 'user' : 'assistant', name: null, metadata: {} },
          create_time: 1_700_000_000 + index * 100 + position,
          content: { content_type: 'text', parts: [text] },
          status: 'finished_successfully',
          metadata: {},
          recipient: 'all',
        },
      };
    });
    return {
      title: `Quokka notes ${index}`,
      create_time: 1_700_000_000 + index * 100,
      update_time: 1_700_000_000 + index * 100 + 4,
      mapping,
      current_node: 'n3',
      conversation_id: id,
      id,
    };
  });
  return JSON.stringify(conversations);
}

async function openPalette(page: Page): Promise<void> {
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('search-input')).toBeFocused();
}

test('the palette finds a message on a branch that is not shown and opens it there, highlighted', async ({ page }) => {
  await addMockProvider(page);
  const id = await newConversation(page, 'mock-echo');
  await send(page, 'Where do kumquats grow?');
  await expect(lastReply(page)).toHaveText(/You said: Where do kumquats grow\?/);
  const originalReply = await lastReply(page).getAttribute('data-id');
  // Edit the question: the branch with the kumquats is no longer shown.
  await page.getByTestId('message').first().getByTestId('edit-message').click();
  await page.getByTestId('edit-input').fill('Where do lemons grow?');
  await page.getByTestId('edit-save').click();
  await expect(lastReply(page)).toHaveText(/You said: Where do lemons grow\?/);
  await expect(page.getByTestId('message-content')).not.toContainText(['kumquats']);

  // Ctrl+K from the composer, as someone mid-sentence would.
  await page.getByTestId('composer').click();
  await openPalette(page);
  await page.getByTestId('search-input').pressSequentially('kumqu');
  const target = page.locator(`[data-testid="search-result"][data-message-id="${originalReply}"]`);
  await expect(target).toBeVisible();
  await expect(target).toHaveAttribute('data-conversation-id', id);
  await expect(target.locator('mark')).toHaveText('kumquats');
  const results = page.getByTestId('search-result');
  const ids = await results.evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.messageId));
  for (let step = 0; step < ids.indexOf(originalReply!); step++) await page.keyboard.press('ArrowDown');
  await expect(target).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('search-input')).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/c/${id}/m/${originalReply}$`));
  const message = page.locator(`[data-testid="message"][data-id="${originalReply}"]`);
  await expect(message).toHaveAttribute('data-highlighted', 'true');
  await expect(message).toBeInViewport();
  await expect(page.getByTestId('message-content')).toHaveText(['Where do kumquats grow?', 'You said: Where do kumquats grow?']);

  // Esc closes without going anywhere.
  await page.getByTestId('search-open').click();
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('search-input')).toHaveCount(0);
});

test('a big ChatGPT export imports with a progress bar; search finds what it brought', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/settings');
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'conversations.json', mimeType: 'application/json', buffer: Buffer.from(chatGptExport(2000)) });
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await expect(page.getByTestId('import-report')).toHaveText(
    'Imported 2,000 conversations and 8,000 messages from a ChatGPT export.',
    {
      timeout: 60_000,
    },
  );
  await expect(page.getByTestId('import-progress')).toHaveCount(0);

  await openPalette(page);
  await page.getByTestId('search-input').fill('quokka1234');
  const hit = page.getByTestId('search-result').first();
  await expect(hit).toHaveAttribute('data-conversation-id', 'chatgpt:e2e00000-0000-4000-8000-000000001234', { timeout: 30_000 });
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid="message"][data-highlighted="true"]')).toContainText('quokka1234');

  // The sidebar's filter finds it by its text too.
  await page.getByPlaceholder('Filter by title or text').fill('quokka1234');
  await expect(page.getByTestId('conversation-item')).toHaveText(['Quokka notes 1234']);
});

test('the zip as downloaded and the split files chosen together import alike, once; a broken file is refused whole', async ({
  page,
}) => {
  await page.goto('/settings');
  await page.getByTestId('import-file').setInputFiles(resolve(FIXTURES, 'chatgpt-export.zip'));
  await expect(page.getByTestId('import-report')).toHaveText(
    'Imported 5 conversations and 17 messages (1 image) from a ChatGPT export.',
  );
  await expect(page.getByTestId('conversation-item')).toHaveCount(5);

  await page
    .getByTestId('import-file')
    .setInputFiles([resolve(FIXTURES, 'conversations-000.json'), resolve(FIXTURES, 'conversations-001.json')]);
  await expect(page.getByTestId('import-report')).toHaveText(
    'Imported 0 conversations and 0 messages from a ChatGPT export. 11 records were already here and left as they were.',
  );

  // One conversation has no id: nothing of the file is written.
  await page.getByTestId('import-file').setInputFiles({
    name: 'conversations.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      chatGptExport(3).replace(
        '"conversation_id":"e2e00000-0000-4000-8000-000000000001","id":"e2e00000-0000-4000-8000-000000000001"',
        '"x":1',
      ),
    ),
  });
  await expect(page.getByTestId('import-error')).toHaveText(
    'This file cannot be imported: conversation “Quokka notes 1” has no conversation_id (undefined). Nothing was imported.',
  );
  await expect(page.getByTestId('conversation-item')).toHaveCount(5);

  // The photo a question showed in ChatGPT is an attachment of that question here.
  await page.locator('[data-testid="conversation-item"]', { hasText: 'Trip to Lisbon' }).click();
  const question = page.locator('[data-testid="message"][data-role="user"]', { hasText: 'What about food near this tram stop?' });
  await expect(question.getByTestId('message-attachment')).toHaveAttribute('data-mime', 'image/png');
  await expect(question.locator('[data-testid="message-attachment"] img')).toBeVisible();
  await page.goto('/settings');

  // Open WebUI's export: the branch it showed is the one shown here.
  await page.getByTestId('import-file').setInputFiles(resolve(FIXTURES, 'open-webui-export.json'));
  await expect(page.getByTestId('import-report')).toHaveText(
    'Imported 3 conversations and 7 messages from an Open WebUI export.',
  );
  await page.locator('[data-testid="conversation-item"]', { hasText: 'Regex for dates' }).click();
  await expect(page.getByTestId('message-content')).toHaveText(['A regex for ISO dates?', /Use \\d\{4\}-\\d\{2\}-\\d\{2\}/]);
  await expect(page.getByTestId('message').nth(1).getByTestId('branch-position')).toHaveText('1 / 2');
});
