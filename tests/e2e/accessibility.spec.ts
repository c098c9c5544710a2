/**
 * axe-core over the main screens, light and dark: any WCAG 2.1 A or AA violation fails.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { addMockProvider, lastReply, newConversation, send } from './helpers';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function expectNoViolations(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const found = violations.map((violation) => ({
    screen,
    rule: violation.id,
    help: violation.help,
    nodes: violation.nodes.map((node) => node.target.join(' ')).slice(0, 5),
  }));
  expect(found).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`no WCAG 2.1 A/AA violations on the main screens (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });

    await page.goto('/');
    await expect(page.getByTestId('empty-state')).toBeVisible();
    await expectNoViolations(page, 'first run');

    await page.goto('/settings');
    await page.getByTestId('add-provider').click();
    await expect(page.getByTestId('provider-preset')).toBeVisible();
    await expectNoViolations(page, 'settings with the provider form open');

    await addMockProvider(page);
    await newConversation(page, 'mock-markdown');
    await page.getByTestId('model-picker').click();
    await expect(page.getByTestId('model-option').first()).toBeVisible();
    await expectNoViolations(page, 'the open model picker');
    await page.keyboard.press('Escape');

    await send(page, 'Show me the renderer');
    await expect(lastReply(page)).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
    await expectNoViolations(page, 'a finished markdown chat');
  });
}
