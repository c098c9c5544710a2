/**
 * Files in a real browser: attached by the picker, by paste and by drop; scaled in the worker
 * with a real canvas; shown in a second tab live and after an offline reload; sent again on
 * regenerate.
 */
import { expect, test, type Page } from '@playwright/test';
import { startMockLlm, type MockLlm } from '../fixtures/mock-llm';
import { startStaticServer, type StaticServer } from '../fixtures/static-server';
import { addMockProvider, lastReply, mockRequests, newConversation, openSecondTab, pickModel, send } from './helpers';

/** A real PNG of this size, drawn in the page (the scaler must decode it). */
async function pngIn(page: Page, width: number, height: number): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ([w, h]) => {
      const canvas = new OffscreenCanvas(w, h);
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#2f5bd3';
      context.fillRect(0, 0, w, h);
      context.fillStyle = '#ffcc00';
      context.fillRect(w / 4, h / 4, w / 2, h / 2);
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let binary = '';
      for (const byte of bytes) binary += String.fromCharCode(byte);
      return btoa(binary);
    },
    [width, height],
  );
  return Buffer.from(base64, 'base64');
}

const chips = (page: Page) => page.getByTestId('attachment-chip');
const sentFiles = (page: Page) =>
  page.locator('[data-testid="message"][data-role="user"]').last().getByTestId('message-attachment');

test('attach by picker, paste and drop; the image reaches the model, shows in another tab live, and is sent again on regenerate', async ({
  page,
  context,
}) => {
  await addMockProvider(page);
  const id = await newConversation(page, 'mock-echo');
  const other = await openSecondTab(context, id);
  const png = await pngIn(page, 64, 48);

  // The picker: an image and a text file.
  await page.getByTestId('attach-input').setInputFiles([
    { name: 'chart.png', mimeType: 'image/png', buffer: png },
    { name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Notes\nBuy milk.') },
  ]);
  await expect(chips(page)).toHaveCount(2);
  // Paste: a screenshot on the clipboard.
  await page.getByTestId('composer').evaluate((composer, base64) => {
    const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
    composer.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, png.toString('base64'));
  await expect(chips(page)).toHaveCount(3);
  // Drop: a file dragged onto the chat.
  await page.locator('section.chat').evaluate((chat) => {
    const data = new DataTransfer();
    data.items.add(new File(['a,b\n1,2\n'], 'table.csv', { type: 'text/csv' }));
    chat.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    chat.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await expect(chips(page)).toHaveCount(4);
  await page.getByTestId('remove-attachment').nth(2).click(); // the pasted image goes again
  await expect(chips(page)).toHaveCount(3);

  // Not every file can go: said at once, before sending.
  await page
    .getByTestId('attach-input')
    .setInputFiles([{ name: 'paper.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\0\x01') }]);
  await expect(page.getByTestId('attachment-error')).toContainText("can't send this kind of file");
  await expect(chips(page)).toHaveCount(3);

  await send(page, 'What is in these?');
  await expect(lastReply(page)).toHaveText(/You said: What is in these\?.*\(with 1 image\)/s);
  await expect(chips(page)).toHaveCount(0);
  for (const tab of [page, other]) {
    await expect(sentFiles(tab)).toHaveCount(3);
    const image = sentFiles(tab).filter({ has: tab.locator('img') });
    await expect(image).toHaveAttribute('data-mime', 'image/png');
    await expect.poll(() => image.locator('img').evaluate((element: HTMLImageElement) => element.naturalWidth)).toBe(64);
    await expect(sentFiles(tab).nth(1)).toHaveAttribute('data-name', 'notes.md');
  }

  // The mock got the image as an image part and the text files as named text.
  const lastRequest = (await mockRequests()).filter((request) => request.path === '/v1/chat/completions').at(-1)!;
  const sentParts = lastRequest.body?.messages?.filter((message) => message.role === 'user').at(-1)?.content as Array<{
    type: string;
    text?: string;
  }>;
  expect(sentParts.map((part) => part.type)).toEqual(['text', 'image_url', 'text', 'text']);
  expect(sentParts[2].text).toContain('<file name="notes.md">');

  // Regenerate: the image goes again.
  await lastReply(page).getByTestId('regenerate').click();
  await expect(lastReply(page).getByTestId('branch-position')).toHaveText('2 / 2');
  await expect(lastReply(page)).toHaveText(/\(with 1 image\)/);

  // Resume: a reply to a message with an image, stopped, then resumed, reads the image again.
  await pickModel(page, 'mock-stall');
  await page.getByTestId('attach-input').setInputFiles([{ name: 'again.png', mimeType: 'image/png', buffer: png }]);
  await send(page, 'And this one?');
  await expect(lastReply(page)).toHaveAttribute('data-status', 'streaming');
  await page.getByTestId('stop').click();
  await expect(lastReply(page)).toHaveAttribute('data-status', 'stopped');
  await lastReply(page).getByTestId('resume').click();
  await expect(lastReply(page)).toHaveAttribute('data-status', 'complete');
  const resumed = (await mockRequests()).filter((request) => request.model === 'mock-stall').at(-1)!;
  // The turn with the files (a resume may end with a plain instruction to go on).
  const resumedUser = resumed.body?.messages
    ?.filter((message) => message.role === 'user' && Array.isArray(message.content))
    .at(-1)?.content as unknown as Array<{ type: string }>;
  expect(resumedUser.map((part) => part.type)).toEqual(['text', 'image_url']);

  // A full-size look: the viewer opens and closes with Esc.
  await sentFiles(page)
    .filter({ has: page.locator('img') })
    .click();
  await expect(page.locator('dialog.image-viewer[open]')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('dialog.image-viewer[open]')).toHaveCount(0);
});

test.describe('with its own servers', () => {
  let app: StaticServer;
  let mock: MockLlm;
  test.beforeEach(async () => {
    app = await startStaticServer('dist');
    mock = await startMockLlm();
  });
  test.afterEach(async () => {
    await app.stop();
    await mock.close().catch(() => undefined);
  });

  test('a large image is scaled to 2048 px in the worker, and shows after an offline reload', async ({ page }) => {
    await page.goto(app.url);
    await addMockProvider(page, { appUrl: app.url, mockUrl: mock.url });
    await newConversation(page, 'mock-echo');
    // Offline later: the service worker must control the page by then (from the next load on).
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) await page.reload();
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    const big = await pngIn(page, 3000, 1000);
    await page.getByTestId('attach-input').setInputFiles([{ name: 'panorama.png', mimeType: 'image/png', buffer: big }]);
    await send(page, 'Wide');
    const image = sentFiles(page).locator('img');
    await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBe(2048);
    expect(await image.evaluate((element: HTMLImageElement) => element.naturalHeight)).toBe(683);

    await app.stop();
    await mock.close();
    await page.reload();
    await expect
      .poll(() =>
        sentFiles(page)
          .locator('img')
          .evaluate((element: HTMLImageElement) => element.naturalWidth),
      )
      .toBe(2048);
  });
});
