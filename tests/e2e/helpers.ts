import { expect, type Locator, type Page } from '@playwright/test';

export const MOCK_URL = `http://127.0.0.1:${process.env.PARLEY_MOCK_PORT ?? 5199}/v1`;

/** Add the mock provider through the Settings form, as a person would. */
export async function addMockProvider(
  page: Page,
  options: { name?: string; appUrl?: string; mockUrl?: string } = {},
): Promise<void> {
  await page.goto(`${options.appUrl ?? ''}/settings`);
  await page.getByTestId('add-provider').click();
  await page.getByTestId('provider-preset').selectOption('custom');
  await page.getByTestId('provider-name').fill(options.name ?? 'Mock');
  await page.getByTestId('provider-base-url').fill(options.mockUrl ?? MOCK_URL);
  await page.getByTestId('provider-save').click();
  await expect(page.getByTestId('provider-item')).toHaveCount(1);
}

/** Start a new conversation on a mock model; returns its id. */
export async function newConversation(page: Page, modelId: string): Promise<string> {
  await page.getByTestId('new-chat').click();
  await expect(page).toHaveURL(/\/c\//);
  await pickModel(page, modelId);
  return new URL(page.url()).pathname.split('/').pop()!;
}

export async function pickModel(page: Page, modelId: string): Promise<void> {
  await page.getByTestId('model-picker').click();
  await page.getByLabel('Search models').fill(modelId);
  await page.locator(`[data-testid="model-option"][data-model-id="${modelId}"]`).first().click();
  await expect(page.getByTestId('model-picker')).not.toHaveText(/Choose a model/);
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

/** The last assistant message of the open conversation. */
export function lastReply(page: Page): Locator {
  return page.locator('[data-testid="message"][data-role="assistant"]').last();
}

/** The canonical reply text of a mock model, from the mock itself. */
export function replyText(model: string): Promise<string> {
  return import('../fixtures/mock-llm').then((mock) => mock.replyTextFor(model));
}
