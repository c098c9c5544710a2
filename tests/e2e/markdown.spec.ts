import { expect, test, type Locator, type Page } from '@playwright/test';
import { addMockProvider, lastReply, newConversation, send } from './helpers';

/**
 * Markdown in a real browser: a math-rich reply streamed three characters at a time (mock-math)
 * must leave exactly the DOM that loading the same reply gives, with its formulas typeset by
 * KaTeX under the app's CSP; KaTeX is fetched only for a reply with math; a copied formula is
 * its TeX.
 */

const MATH_MODEL = 'mock-math';

/** The reply's rendered markdown, in a form two renders can be compared by. */
function shownMarkdown(reply: Locator): Promise<string> {
  return reply.locator('.markdown').evaluate((root) => {
    const container = document.createElement('div');
    for (const block of root.querySelectorAll(':scope > .markdown-group > .markdown-block'))
      container.insertAdjacentHTML('beforeend', block.innerHTML);
    for (const node of [...container.childNodes])
      if (node.nodeType === Node.TEXT_NODE && !node.textContent?.trim()) node.remove();
    for (const cursor of container.querySelectorAll('.cursor')) cursor.remove();
    return container.innerHTML;
  });
}

/** Done rendering: complete, every formula typeset, every code block highlighted. */
async function settled(page: Page): Promise<Locator> {
  const reply = lastReply(page);
  await expect(reply).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
  await expect(reply.locator('.math math')).toHaveCount(23);
  await expect(reply.locator('.math-source')).toHaveCount(0);
  await expect(reply.locator('pre code[data-highlighted="done"]')).toHaveCount(1);
  return reply;
}

test('a math reply streamed a few characters at a time ends as it loads', async ({ page }) => {
  const policyViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
  });
  const katexRequests: string[] = [];
  page.on('request', (request) => {
    if (/\/katex-[^/]*\.js$/.test(new URL(request.url()).pathname)) katexRequests.push(request.url());
  });
  await addMockProvider(page);
  await newConversation(page, 'mock-fast');
  await send(page, 'Hello');
  await expect(lastReply(page)).toHaveAttribute('data-status', 'complete');
  expect(katexRequests, 'a reply without math does not fetch KaTeX').toEqual([]);

  await newConversation(page, MATH_MODEL);
  await send(page, 'Explain quadratic equations, with math.');
  await expect(lastReply(page)).toHaveAttribute('data-status', 'streaming');
  const streamed = await shownMarkdown(await settled(page));
  expect(katexRequests).toHaveLength(1);

  await page.reload();
  const loaded = await shownMarkdown(await settled(page));
  expect(loaded).toBe(streamed);

  const reply = lastReply(page);
  // One numbered list of four items, not lists cut apart where a bare number arrived alone.
  await expect(reply.locator('ol')).toHaveCount(1);
  await expect(reply.locator('ol > li')).toHaveCount(4);
  await expect(reply.locator('h1')).toHaveText('Quadratic equations');
  await expect(reply.locator('a[href="https://example.com/algebra"]')).toHaveText('the textbook');
  await expect(reply.locator('a[href="https://example.com/euler"]')).toHaveAttribute('title', "Euler's identity");
  await expect(reply.locator('blockquote')).toHaveText('A calculator costs $15 and a good one $40; neither is math.');
  await expect(reply.locator('div.math-display math[display="block"]')).toHaveCount(2);
  await expect(reply.locator('pre code')).toContainText('# costs $0');
  // MathML needs no inline style: the strict CSP has nothing to refuse.
  expect(policyViolations).toEqual([]);
});

test('copying a formula copies its TeX', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await addMockProvider(page);
  await newConversation(page, MATH_MODEL);
  await send(page, 'Math, please.');
  const reply = await settled(page);
  // Select from inside the first display formula to the end of the paragraph after it.
  await reply
    .locator('div.math-display')
    .first()
    .evaluate((formula) => {
      const range = document.createRange();
      range.setStart(formula.querySelector('mi')!.firstChild!, 0);
      const next = formula.closest('.markdown-block')!.nextElementSibling!.querySelector('p')!;
      range.setEnd(next.lastChild!, next.lastChild!.textContent!.length);
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(range);
    });
  await page.keyboard.press('Control+C');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(
    /^\$\$x = \\frac\{-b \\pm \\sqrt\{b\^2 - 4ac\}\}\{2a\}\$\$\nas the textbook shows\. The discriminant \$\\Delta = b\^2 - 4ac\$ decides/,
  );
});

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshot of a math reply, 1280 px, ${scheme}`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await addMockProvider(page);
    await newConversation(page, MATH_MODEL);
    await send(page, 'Explain quadratic equations, with math.');
    const reply = await settled(page);
    await reply.locator('h1').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screenshots/desktop-${scheme}-math.png` });
    await reply.locator('table').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screenshots/desktop-${scheme}-math-table.png` });
  });
}
