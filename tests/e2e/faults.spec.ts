/**
 * The faults only a browser shows (issue 5): tabs closed, crashed and racing, and a provider
 * that blocks browsers. Each test asserts what the user would notice; docs/RELIABILITY.md maps
 * them to the issue.
 */
import { expect, test } from './fixtures';
import { startMockLlm } from '../fixtures/mock-llm';
import {
  addMockProvider,
  chatRequestsFor,
  coreCount,
  crashRenderer,
  lastReply,
  newConversation,
  openSecondTab,
  replyText,
  replyWords,
  send,
  uniqueModel,
  words,
} from './helpers';

test.describe('faults', () => {
  test('fault 7: two tabs send at the same moment: one run; the other tab is told it is busy and keeps its text', async ({
    page,
    context,
  }) => {
    await addMockProvider(page);
    const model = uniqueModel('mock-slow:tokens=40:delay=40');
    const id = await newConversation(page, model);
    const other = await openSecondTab(context, id);

    await page.getByTestId('composer').fill('Question from tab one');
    await other.getByTestId('composer').fill('Question from tab two');
    await Promise.all([page.getByTestId('composer').press('Enter'), other.getByTestId('composer').press('Enter')]);

    for (const tab of [page, other]) await expect(lastReply(tab)).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
    expect(await chatRequestsFor(model)).toHaveLength(1);
    const userMessages = page.locator('[data-testid="message"][data-role="user"]');
    await expect(userMessages).toHaveCount(1);
    const winner = (await userMessages.innerText()).includes('tab one') ? page : other;
    const loser = winner === page ? other : page;
    const loserText = loser === page ? 'Question from tab one' : 'Question from tab two';
    await expect(loser.getByTestId('chat-error')).toContainText('already being written');
    await expect(loser.getByTestId('composer')).toHaveValue(loserText);
    await expect(winner.getByTestId('chat-error')).toHaveCount(0);
    await expect(winner.getByTestId('composer')).toHaveValue('');
  });

  test('fault 2: a tab’s renderer crashes mid-reply: the worker notices through its lock and the other tab gets the whole reply', async ({
    page,
    context,
  }) => {
    await addMockProvider(page);
    const model = uniqueModel('mock-slow:tokens=80:delay=40');
    const id = await newConversation(page, model);
    // The second tab starts the reply and is the one that crashes; the first tab started the
    // worker (see the next test for a crash of that one).
    const other = await openSecondTab(context, id);
    await send(other, 'Go');
    await expect(lastReply(page)).toHaveAttribute('data-status', 'streaming');
    const locks = () => page.evaluate(() => navigator.locks.query());
    const tabLocks = (snapshot: LockManagerSnapshot) =>
      (snapshot.held ?? []).filter((lock) => lock.name?.startsWith('parley-tab-'));
    expect(tabLocks(await locks())).toHaveLength(2);

    await crashRenderer(context, other);

    // The dead tab's lock was released and the worker, waiting on it, was granted it.
    await expect.poll(async () => tabLocks(await locks()).length).toBe(1);
    await expect.poll(async () => (await locks()).pending?.filter((lock) => lock.name?.startsWith('parley-tab-')).length).toBe(1);
    await expect(lastReply(page)).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
    expect(await replyWords(page)).toBe(words(await replyText(model)));
  });

  test('fault 2: the crashed renderer also ran the core: the other tab recovers the reply as interrupted and Resume completes it', async ({
    page,
    context,
    sharedWorker,
  }) => {
    await addMockProvider(page);
    const model = uniqueModel('mock-slow:tokens=120:delay=30');
    const id = await newConversation(page, model);
    const other = await openSecondTab(context, id);
    await send(page, 'Go');
    await expect(lastReply(other)).toHaveAttribute('data-status', 'streaming');
    await expect.poll(async () => (await replyWords(other)).split(' ').length).toBeGreaterThan(30);
    expect(await coreCount(context, other, sharedWorker)).toBe(1);

    // Chromium runs the SharedWorker in the renderer of the tab that started it; without
    // SharedWorker the first tab leads, and its dedicated worker is the core.
    await crashRenderer(context, page);

    // The surviving tab learns the core died — its lock (SharedWorker: it reloads onto a new
    // core), or the leader's tab lock (it becomes the leader, no reload) — and shows the reply
    // as interrupted with what was checkpointed, never "writing" forever.
    await expect(lastReply(other)).toHaveAttribute('data-status', 'interrupted', { timeout: 20_000 });
    const kept = await replyWords(other);
    const expected = words(await replyText(model));
    expect(kept.length).toBeGreaterThan(0);
    expect(expected.startsWith(kept)).toBe(true);
    const messageId = await lastReply(other).getAttribute('data-id');

    await other.getByTestId('resume').click();
    await expect(lastReply(other)).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
    await expect(lastReply(other)).toHaveAttribute('data-id', messageId!);
    expect(await replyWords(other)).toBe(expected);
    await expect(other.locator('[data-testid="message"][data-role="assistant"]')).toHaveCount(1);
  });

  test('fault 6: a provider that refuses browser requests (CORS): the message names CORS and a way out, and the typed message is kept', async ({
    page,
    sharedWorker,
  }) => {
    test.skip(!sharedWorker, 'One tab and no shared core: the fallback changes nothing this test sees.');
    const blocking = await startMockLlm({ cors: false });
    try {
      await page.goto('/settings');
      await page.getByTestId('add-provider').click();
      await page.getByTestId('provider-preset').selectOption('custom');
      await page.getByTestId('provider-name').fill('No CORS');
      await page.getByTestId('provider-base-url').fill(blocking.url);
      await page.getByTestId('provider-save').click();
      // A server on this machine: the way out is its CORS setting, with this page's origin.
      const origin = new URL(page.url()).origin;
      await expect(page.getByTestId('provider-error')).toContainText('No CORS is running but refused this page (CORS)');
      await expect(page.getByTestId('provider-error')).toContainText(`Access-Control-Allow-Origin: ${origin}`);
      await page.getByRole('button', { name: 'Save anyway' }).click();
      await expect(page.getByTestId('provider-item')).toHaveCount(1);

      await newConversation(page, 'mock-fast');
      await send(page, 'Can you hear me?');
      await expect(lastReply(page)).toHaveAttribute('data-status', 'error');
      await expect(lastReply(page).getByTestId('message-error')).toContainText('refused this page (CORS)');
      await expect(lastReply(page).getByTestId('message-error')).toContainText(`allow requests from ${origin}`);
      await expect(page.locator('[data-testid="message"][data-role="user"]')).toHaveText(/Can you hear me\?/);
    } finally {
      await blocking.close();
    }
  });

  test('fault 1: every tab closed mid-reply without extendedLifetime: interrupted with the checkpointed text, Resume completes it without repeats', async ({
    page,
    context,
  }) => {
    // The worker must die with its last tab (the PWA's switch, read in src/client/connect.ts).
    await context.addInitScript(() => localStorage.setItem('parley:extended-lifetime', 'off'));
    await addMockProvider(page);
    const model = uniqueModel('mock-slow:tokens=300:delay=30');
    const expected = words(await replyText(model));
    const id = await newConversation(page, model);
    await send(page, 'Tell me a long story');
    await expect.poll(async () => (await replyWords(page)).split(' ').length, { timeout: 15_000 }).toBeGreaterThan(20);
    // Seen on screen at least one checkpoint interval (250 ms) before the close.
    const seenBeforeClose = await replyWords(page);
    await expect.poll(async () => (await replyWords(page)).length - seenBeforeClose.length).toBeGreaterThan(120);

    for (const tab of context.pages()) await tab.close();
    // The worker died with the last tab: the provider saw the request hang up.
    await expect.poll(async () => (await chatRequestsFor(model))[0]?.aborted, { timeout: 10_000 }).toBe(true);

    const reopened = await context.newPage();
    await reopened.goto(`/c/${id}`);
    await expect(lastReply(reopened)).toHaveAttribute('data-status', 'interrupted');
    const kept = await replyWords(reopened);
    expect(kept.startsWith(seenBeforeClose)).toBe(true);
    expect(expected.startsWith(kept)).toBe(true);
    expect(kept.length).toBeLessThan(expected.length);
    const messageId = await lastReply(reopened).getAttribute('data-id');

    await reopened.getByTestId('resume').click();
    await expect(lastReply(reopened)).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
    await expect(lastReply(reopened)).toHaveAttribute('data-id', messageId!);
    expect(await replyWords(reopened)).toBe(expected);
    await expect(reopened.locator('[data-testid="message"][data-role="assistant"]')).toHaveCount(1);
    // The provider was asked to continue from the kept text (a custom server: by instruction).
    const resumed = (await chatRequestsFor(model))[1];
    expect(resumed.body?.messages?.at(-2)?.role).toBe('assistant');
    expect(words(resumed.body?.messages?.at(-2)?.content ?? '')).toBe(kept);
    expect(resumed.body?.messages?.at(-1)?.role).toBe('user');
  });
});
