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

test('on a phone the drawer closes once a conversation is chosen; Esc closes it and focus goes back to ☰', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await addMockProvider(page);
  await page.getByTestId('open-sidebar').click();
  const first = await newConversation(page, 'mock-fast');
  await page.getByTestId('open-sidebar').click();
  await page.getByTestId('new-chat').click();
  await expect(page).not.toHaveURL(new RegExp(`/c/${first}$`));

  const drawer = page.locator('nav.sidebar');
  await page.getByTestId('open-sidebar').click();
  await expect(drawer).toBeInViewport();
  await expect(drawer).toBeFocused();
  await page.locator(`[data-testid="conversation-item"][data-id="${first}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/c/${first}$`));
  await expect(drawer).not.toBeInViewport();

  await page.getByTestId('open-sidebar').click();
  await expect(drawer).toBeInViewport();
  await page.keyboard.press('Escape');
  await expect(drawer).not.toBeInViewport();
  await expect(page.getByTestId('open-sidebar')).toBeFocused();
});
