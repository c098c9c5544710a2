/**
 * Conversations as trees in a real browser: an edit in one tab shows in the other live, the old
 * branch stays one click away, the choice survives a reload, and a link opens a message on a
 * branch that is not shown.
 */
import { expect, test } from '@playwright/test';
import { addMockProvider, lastReply, newConversation, openSecondTab, send } from './helpers';

const messages = (page: import('@playwright/test').Page) => page.getByTestId('message');
const contents = (page: import('@playwright/test').Page) => page.getByTestId('message-content');

test('an edit in one tab shows in the other live; the old branch stays reachable and the choice survives a reload', async ({
  page,
  context,
}) => {
  await addMockProvider(page);
  const id = await newConversation(page, 'mock-echo');
  await send(page, 'First question');
  await expect(lastReply(page)).toHaveAttribute('data-status', 'complete');
  await send(page, 'Second question');
  await expect(lastReply(page)).toHaveText(/You said: Second question/);
  const other = await openSecondTab(context, id);
  await expect(messages(other)).toHaveCount(4);

  // Edit the first question in tab one.
  const firstQuestion = page.locator('[data-testid="message"][data-role="user"]').first();
  await firstQuestion.getByTestId('edit-message').click();
  await page.getByTestId('edit-input').fill('First question, edited');
  await page.getByTestId('edit-save').click();

  for (const tab of [page, other]) {
    await expect(contents(tab)).toHaveText(['First question, edited', 'You said: First question, edited']);
    await expect(messages(tab).first().getByTestId('branch-position')).toHaveText('2 / 2');
  }

  // The old branch, whole, one click away — in the other tab.
  await messages(other).first().getByTestId('branch-prev').click();
  for (const tab of [page, other]) {
    await expect(contents(tab)).toHaveText([
      'First question',
      'You said: First question',
      'Second question',
      'You said: Second question',
    ]);
    await expect(messages(tab).first().getByTestId('branch-position')).toHaveText('1 / 2');
  }

  await page.reload();
  await expect(contents(page)).toHaveText([
    'First question',
    'You said: First question',
    'Second question',
    'You said: Second question',
  ]);

  // Regenerate a reply: a sibling beside it, shown, and the old one reachable.
  await messages(page).nth(1).getByTestId('regenerate').click();
  await expect(messages(page).nth(1).getByTestId('branch-position')).toHaveText('2 / 2');
  await expect(messages(page)).toHaveCount(2);
  await expect(messages(other).nth(1).getByTestId('branch-position')).toHaveText('2 / 2');
});

test('a link to a message on a branch that is not shown opens that branch, scrolled to it and marked', async ({
  page,
  context,
}) => {
  await addMockProvider(page);
  const id = await newConversation(page, 'mock-echo');
  await send(page, 'Original question');
  await expect(lastReply(page)).toHaveAttribute('data-status', 'complete');
  const originalReply = await lastReply(page).getAttribute('data-id');

  await messages(page).first().getByTestId('edit-message').click();
  await page.getByTestId('edit-input').fill('Edited question');
  await page.getByTestId('edit-save').click();
  await expect(lastReply(page)).toHaveText(/You said: Edited question/);

  const linked = await context.newPage();
  await linked.goto(`/c/${id}/m/${originalReply}`);
  await expect(contents(linked)).toHaveText(['Original question', 'You said: Original question']);
  const target = linked.locator(`[data-testid="message"][data-id="${originalReply}"]`);
  await expect(target).toHaveAttribute('data-highlighted', 'true');
  await expect(target).toBeInViewport();
  // A switch is shared: the first tab now shows that branch too.
  await expect(contents(page)).toHaveText(['Original question', 'You said: Original question']);
});
