import { expect, test } from '@playwright/test';
import {
  addMockProvider,
  chatRequestsFor,
  lastReply,
  newConversation,
  replyText,
  replyWords,
  send,
  uniqueModel,
  words,
} from './helpers';

/**
 * A provider that answers afresh (OpenAI's chat completions ignore a partial reply sent back):
 * asked to continue, it writes the whole reply again from its first word. The reader must see
 * the reply once — at the end, and at every moment while it resumes.
 */
test('stop, resume on a provider that answers afresh: the text is not repeated', async ({ page }) => {
  await addMockProvider(page);
  const model = uniqueModel('mock-slow:tokens=80:delay=25:afresh');
  const expected = words(await replyText(model));
  const opening = expected.split(' ').slice(0, 5).join(' ');
  await newConversation(page, model);
  await send(page, 'Tell me a story');
  await expect.poll(async () => (await replyWords(page)).split(' ').length, { timeout: 15_000 }).toBeGreaterThan(15);
  await page.getByTestId('stop').click();
  await expect(lastReply(page)).toHaveAttribute('data-status', 'stopped');
  const kept = await replyWords(page);
  expect(kept.startsWith(opening)).toBe(true);

  // Every text the reply shows while it resumes, as the reader would see it.
  await lastReply(page)
    .getByTestId('message-content')
    .evaluate((element) => {
      const seen: string[] = [];
      (window as Window & { seenTexts?: string[] }).seenTexts = seen;
      new MutationObserver(() => seen.push((element as HTMLElement).innerText)).observe(element, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
  await page.getByTestId('resume').click();
  await expect(lastReply(page)).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });

  expect(await replyWords(page)).toBe(expected);
  const seen = await page.evaluate(() => (window as Window & { seenTexts?: string[] }).seenTexts ?? []);
  expect(seen.length).toBeGreaterThan(0);
  for (const text of seen) expect(words(text).split(opening).length - 1).toBeLessThanOrEqual(1);
  // The provider did start over: the resumed request's answer began with the opening again,
  // and only the filter kept it off the screen.
  const requests = await chatRequestsFor(model);
  expect(requests).toHaveLength(2);
  expect(words(requests[1].body?.messages?.at(-2)?.content ?? '')).toBe(kept);
});
