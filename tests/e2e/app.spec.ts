import { expect, test } from '@playwright/test';
import { addMockProvider, lastReply, MOCK_URL, newConversation, replyText, send } from './helpers';

test('the provider form prefills presets, hides the key for local servers, and saves after a test', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('empty-add-provider').click();
  await expect(page).toHaveURL(/\/settings$/);
  await page.getByTestId('add-provider').click();
  await page.getByTestId('provider-preset').selectOption('openrouter');
  await expect(page.getByTestId('provider-base-url')).toHaveValue('https://openrouter.ai/api/v1');
  await expect(page.getByTestId('provider-api-key')).toBeVisible();
  await page.getByTestId('provider-preset').selectOption('ollama');
  await expect(page.getByTestId('provider-base-url')).toHaveValue('http://localhost:11434/v1');
  await expect(page.getByTestId('provider-api-key')).toHaveCount(0);

  // A wrong key is caught by the connection test, in words, and nothing is saved.
  await page.getByTestId('provider-preset').selectOption('custom');
  await page.getByTestId('provider-name').fill('Mock');
  await page.getByTestId('provider-base-url').fill(MOCK_URL);
  await page.getByTestId('provider-api-key').fill('bad-key');
  await page.getByTestId('provider-save').click();
  await expect(page.getByTestId('provider-error')).toContainText('rejected the API key');
  await expect(page.getByTestId('provider-item')).toHaveCount(0);

  await page.getByTestId('provider-api-key').fill('sk-good');
  await page.getByTestId('provider-save').click();
  await expect(page.getByTestId('provider-item')).toHaveCount(1);
  await expect(page.getByTestId('provider-item')).toContainText('Mock');
  // The key is masked in the list.
  await expect(page.getByTestId('provider-item')).not.toContainText('sk-good');
});

test('a reply streams to complete with cost and usage shown', async ({ page }) => {
  await addMockProvider(page);
  await newConversation(page, 'mock-fast');
  await send(page, 'Hello!');
  const reply = lastReply(page);
  await expect(reply).toHaveAttribute('data-status', 'complete');
  await expect(reply.getByTestId('message-content')).toHaveText((await replyText('mock-fast')).trim());
  await expect(page.getByTestId('session-cost')).not.toHaveText('$0.00');
  await expect(page.getByTestId('usage')).toHaveText(/\d+ in · 15 out/);
  // The first message named the conversation.
  await expect(page.getByTestId('conversation-item').first()).toHaveText('Hello!');
});

test('two tabs on /c/<id> show identical text while streaming and after', async ({ page, context }) => {
  await addMockProvider(page);
  // mock-stall streams a few tokens, then holds the reply open: a stable mid-stream moment.
  const id = await newConversation(page, 'mock-stall');
  const other = await context.newPage();
  await other.goto(`/c/${id}`);
  await expect(other.getByTestId('composer')).toBeVisible();
  await send(page, 'Go');
  const partial = await replyText('mock-stall');
  const firstFive = partial
    .split(/(?<=\s)/)
    .slice(0, 5)
    .join('')
    .trim();
  for (const tab of [page, other]) {
    await expect(lastReply(tab)).toHaveAttribute('data-status', 'streaming');
    await expect(lastReply(tab).getByTestId('message-content')).toHaveText(firstFive);
  }
  await other.getByTestId('stop').click();
  for (const tab of [page, other]) {
    await expect(lastReply(tab)).toHaveAttribute('data-status', 'stopped');
    await expect(lastReply(tab).getByTestId('message-content')).toHaveText(firstFive);
  }
});

test('closing the sending tab mid-reply: the other tab still gets the whole reply', async ({ page, context }) => {
  await addMockProvider(page);
  const model = 'mock-slow:tokens=60:delay=40';
  const id = await newConversation(page, model);
  const other = await context.newPage();
  await other.goto(`/c/${id}`);
  await expect(other.getByTestId('composer')).toBeVisible();
  await send(page, 'Go');
  await expect(lastReply(other)).toHaveAttribute('data-status', 'streaming');
  await page.close();
  await expect(lastReply(other)).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
  await expect(lastReply(other).getByTestId('message-content')).toHaveText((await replyText(model)).trim());
});

test('stop from the second tab, then Resume completes the same message in both', async ({ page, context }) => {
  await addMockProvider(page);
  const model = 'mock-slow:tokens=80:delay=40';
  const id = await newConversation(page, model);
  const other = await context.newPage();
  await other.goto(`/c/${id}`);
  await expect(other.getByTestId('composer')).toBeVisible();
  await send(page, 'Go');
  await expect(lastReply(other)).toHaveAttribute('data-status', 'streaming');
  await expect(lastReply(other).getByTestId('message-content')).not.toHaveText('');
  await other.getByTestId('stop').click();
  await expect(lastReply(page)).toHaveAttribute('data-status', 'stopped');
  await expect(lastReply(other)).toHaveAttribute('data-status', 'stopped');
  const stopped = await lastReply(other).getByTestId('message-content').innerText();
  await expect(lastReply(page).getByTestId('message-content')).toHaveText(stopped);
  const messageId = await lastReply(page).getAttribute('data-id');

  await page.getByTestId('resume').click();
  for (const tab of [page, other]) {
    await expect(lastReply(tab)).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
    await expect(lastReply(tab)).toHaveAttribute('data-id', messageId!);
    await expect(lastReply(tab).getByTestId('message-content')).toHaveText((await replyText(model)).trim());
  }
  await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toHaveCount(1);
});

test('rename and delete propagate to the other tab', async ({ page, context }) => {
  await addMockProvider(page);
  const id = await newConversation(page, 'mock-fast');
  const other = await context.newPage();
  await other.goto('/settings');
  const item = (tab: typeof page) => tab.locator(`[data-testid="conversation-item"][data-id="${id}"]`);
  await expect(item(other)).toBeVisible();

  await item(page).dblclick();
  await page.getByLabel('Conversation title').fill('Renamed in tab one');
  await page.getByLabel('Conversation title').press('Enter');
  await expect(item(other)).toHaveText('Renamed in tab one');

  await page.getByRole('button', { name: 'Delete “Renamed in tab one”' }).click();
  await page.getByTestId('confirm-delete').click();
  await expect(item(other)).toHaveCount(0);
  await expect(item(page)).toHaveCount(0);
});
