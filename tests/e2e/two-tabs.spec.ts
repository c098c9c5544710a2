import { expect, test } from '@playwright/test';
import { addMockProvider, lastReply, newConversation, send } from './helpers';

test('two tabs attach to one SharedWorker and see the same reply', async ({ page, context }) => {
  await addMockProvider(page);
  const id = await newConversation(page, 'mock-slow:tokens=120:delay=15');
  const second = await context.newPage();
  await second.goto(`/c/${id}`);
  await expect(second.getByTestId('composer')).toBeVisible();

  await send(page, 'Tell me something long');
  // Both tabs show the reply streaming at the same time…
  await expect(lastReply(page)).toHaveAttribute('data-status', 'streaming');
  await expect(lastReply(second)).toHaveAttribute('data-status', 'streaming');
  await expect(second.getByTestId('stop')).toBeVisible();
  // …and the same text once it ends.
  await expect(lastReply(page)).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
  await expect(lastReply(second)).toHaveAttribute('data-status', 'complete');
  const first = await lastReply(page).getByTestId('message-content').innerText();
  expect(first.length).toBeGreaterThan(100);
  expect(await lastReply(second).getByTestId('message-content').innerText()).toBe(first);

  // One worker served both: the CDP target list holds a single shared worker.
  const cdp = await context.newCDPSession(page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: Array<{ type: string }> };
  expect(targetInfos.filter((target) => target.type === 'shared_worker')).toHaveLength(1);
});
