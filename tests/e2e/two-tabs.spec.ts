/**
 * Several tabs are one app: one core serves them all (a SharedWorker; without it, the leader
 * tab's dedicated worker, reached through the relay), a reply streams into every tab, a stop or
 * resume in one acts for all, and closing a tab never stops a reply.
 */
import { expect, test } from './fixtures';
import { addMockProvider, coreCount, lastReply, newConversation, openSecondTab, replyText, send } from './helpers';

test('two tabs share one core: the same text while streaming, a stop in one stops both, Resume finishes the same message in both', async ({
  page,
  context,
  sharedWorker,
}) => {
  await addMockProvider(page);
  // mock-stall streams five tokens, then holds the reply open: a stable mid-stream moment.
  const model = 'mock-stall';
  const id = await newConversation(page, model);
  const other = await openSecondTab(context, id);
  expect(await coreCount(context, page, sharedWorker)).toBe(1);

  await send(page, 'Go');
  const full = (await replyText(model)).trim();
  const firstFive = full
    .split(/(?<=\s)/)
    .slice(0, 5)
    .join('')
    .trim();
  for (const tab of [page, other]) {
    await expect(lastReply(tab)).toHaveAttribute('data-status', 'streaming');
    await expect(lastReply(tab).getByTestId('message-content')).toHaveText(firstFive);
    await expect(tab.getByTestId('stop')).toBeVisible();
  }

  await other.getByTestId('stop').click();
  for (const tab of [page, other]) {
    await expect(lastReply(tab)).toHaveAttribute('data-status', 'stopped');
    await expect(lastReply(tab).getByTestId('message-content')).toHaveText(firstFive);
  }
  const messageId = await lastReply(page).getAttribute('data-id');

  await page.getByTestId('resume').click();
  for (const tab of [page, other]) {
    await expect(lastReply(tab)).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
    await expect(lastReply(tab)).toHaveAttribute('data-id', messageId!);
    await expect(lastReply(tab).getByTestId('message-content')).toHaveText(full);
    await expect(tab.locator('[data-testid="message"][data-role="assistant"]')).toHaveCount(1);
  }
  // Still one core after all of it.
  expect(await coreCount(context, other, sharedWorker)).toBe(1);
});

test('closing the sending tab mid-reply: the other tab still gets the whole reply', async ({ page, context, sharedWorker }) => {
  await addMockProvider(page);
  const model = 'mock-slow:tokens=60:delay=40';
  const id = await newConversation(page, model);
  const other = await openSecondTab(context, id);
  // Without SharedWorker the first tab leads and runs the core: the second sends and closes
  // (the leader closing is takeover.spec.ts). With it, the tab that started the worker closes.
  const [sender, watcher] = sharedWorker ? [page, other] : [other, page];
  await send(sender, 'Go');
  await expect(lastReply(watcher)).toHaveAttribute('data-status', 'streaming');
  await sender.close();
  await expect(lastReply(watcher)).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
  await expect(lastReply(watcher).getByTestId('message-content')).toHaveText((await replyText(model)).trim());
});

test('rename (Esc cancels it) and delete propagate to the other tab', async ({ page, context }) => {
  await addMockProvider(page);
  const id = await newConversation(page, 'mock-fast');
  const other = await context.newPage();
  await other.goto('/settings');
  const row = (tab: typeof page) => tab.locator('.conversation-row', { has: tab.locator(`[data-id="${id}"]`) });
  const item = (tab: typeof page) => tab.locator(`[data-testid="conversation-item"][data-id="${id}"]`);
  await expect(item(other)).toBeVisible();

  // Esc cancels: the browser blurs the field as it goes, and that blur must not rename.
  const before = await item(page).textContent();
  await row(page).hover();
  await row(page).getByTestId('rename-conversation').click();
  await page.getByTestId('conversation-title-input').fill('Not this title');
  await page.getByTestId('conversation-title-input').press('Escape');
  await expect(page.getByTestId('conversation-title-input')).toHaveCount(0);
  // A later call on the same port: once its conversation shows in the other tab, a rename sent
  // before it would have too.
  await page.getByTestId('new-chat').click();
  await expect(other.getByTestId('conversation-item')).toHaveCount(2);
  await expect(item(other)).toHaveText(before!);

  await row(page).hover();
  await row(page).getByTestId('rename-conversation').click();
  await page.getByTestId('conversation-title-input').fill('Renamed in tab one');
  await page.getByTestId('conversation-title-input').press('Enter');
  await expect(item(other)).toHaveText('Renamed in tab one');

  await row(page).hover();
  await row(page).getByTestId('delete-conversation').click();
  await page.getByTestId('confirm-delete').click();
  await expect(item(other)).toHaveCount(0);
  await expect(item(page)).toHaveCount(0);
});
