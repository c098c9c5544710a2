/**
 * Without SharedWorker the core runs in the leader tab's dedicated worker. When that tab goes,
 * the reply it was fetching goes with it; another tab takes the leader lock, runs the core, and
 * shows the reply as interrupted — without a reload — and Resume finishes the same message.
 */
import { expect, test } from './fixtures';
import {
  addMockProvider,
  chatRequestsFor,
  coreCount,
  lastReply,
  newConversation,
  openSecondTab,
  replyText,
  replyWords,
  send,
  uniqueModel,
  words,
} from './helpers';

test('the leader tab closes mid-reply: the other tab takes over without a reload, shows it interrupted, and Resume completes the same message', async ({
  page,
  context,
  sharedWorker,
}) => {
  test.skip(
    sharedWorker,
    'With SharedWorker no tab leads: the core outlives any one tab (two-tabs.spec.ts closes one mid-reply).',
  );
  await addMockProvider(page);
  const model = uniqueModel('mock-slow:tokens=200:delay=30');
  const expected = words(await replyText(model));
  const id = await newConversation(page, model);
  const other = await openSecondTab(context, id);
  // The first tab leads: its worker is the one core.
  expect(page.workers()).toHaveLength(1);
  expect(await coreCount(context, page, sharedWorker)).toBe(1);
  await other.evaluate(() => ((window as { notReloaded?: boolean }).notReloaded = true));

  // The follower sends; the leader's core runs the reply and both tabs show it streaming.
  await send(other, 'Tell me a long story');
  await expect(lastReply(page)).toHaveAttribute('data-status', 'streaming');
  await expect.poll(async () => (await replyWords(other)).split(' ').length).toBeGreaterThan(30);
  const messageId = await lastReply(other).getAttribute('data-id');

  await page.close();

  // The request died with the leader's worker; the follower leads now, on a core of its own.
  await expect.poll(async () => (await chatRequestsFor(model))[0]?.aborted).toBe(true);
  await expect(lastReply(other)).toHaveAttribute('data-status', 'interrupted');
  await expect(other.getByTestId('stop')).toHaveCount(0);
  await expect.poll(() => coreCount(context, other, sharedWorker)).toBe(1);
  expect(other.workers()).toHaveLength(1);
  const kept = await replyWords(other);
  expect(kept.length).toBeGreaterThan(0);
  expect(expected.startsWith(kept)).toBe(true);

  await other.getByTestId('resume').click();
  await expect(lastReply(other)).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
  await expect(lastReply(other)).toHaveAttribute('data-id', messageId!);
  expect(await replyWords(other)).toBe(expected);
  await expect(other.locator('[data-testid="message"][data-role="assistant"]')).toHaveCount(1);
  // Continued from the text shown, not started over; and the tab never reloaded.
  // (The mock is a custom provider: the partial goes back, then an instruction to go on.)
  const resumed = (await chatRequestsFor(model))[1];
  expect(resumed.body?.messages?.at(-2)?.role).toBe('assistant');
  expect(words(resumed.body?.messages?.at(-2)?.content ?? '')).toBe(kept);
  expect(await other.evaluate(() => (window as { notReloaded?: boolean }).notReloaded)).toBe(true);
});
