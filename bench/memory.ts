/**
 * 6. Memory: a tab's JS heap after ten long replies in one conversation, and the worker's heap
 * with 20 live sessions (20 conversations open in a tab, each running a reply). Heaps are
 * measured after a forced GC (CDP HeapProfiler.collectGarbage, Runtime.getHeapUsage).
 */
import { replyTextFor } from '../tests/fixtures/mock-llm';
import {
  addMockProvider,
  callApi,
  createConversation,
  listMessages,
  openApp,
  openConversation,
  resetProbe,
  sendMessage,
  waitForLastReply,
} from './lib/app';
import { newContext, pageHeapAfterGc, WorkerSession } from './lib/browser';
import { range, type BenchEnv } from './lib/env';
import { medianOfRuns } from './lib/stats';

export const TAB_MODEL = 'mock-markdown:tokens=4000:delay=0';
export const TAB_REPLIES = 10;
export const WORKER_MODEL = 'mock-slow:tokens=2000:delay=2';
export const WORKER_SESSIONS = 20;

export interface TabMemoryRun {
  /** The conversation open, before any reply (bytes). */
  heapBefore: number;
  heapAfter: number;
  replyChars: number;
  domNodes: number;
}

export interface WorkerMemoryRun {
  /** The core started, one tab attached, nothing open (bytes). */
  heapIdle: number;
  /** 20 sessions open, their replies running (bytes). */
  heapStreaming: number;
  /** The same 20 sessions once every reply ended (still open in the tab). */
  heapAfter: number;
  /** How many of the 20 replies the mock streamed at once (the browser's connections per host). */
  concurrentStreams: number;
}

async function tabMemoryOnce(env: BenchEnv): Promise<TabMemoryRun> {
  const context = await newContext(env.browser);
  try {
    const page = await context.newPage();
    await openApp(page, env.appUrl);
    const providerId = await addMockProvider(page, env.mock.url);
    const conversationId = await createConversation(page, providerId, TAB_MODEL, 'Memory');
    await openConversation(page, env.appUrl, conversationId);
    const heapBefore = await pageHeapAfterGc(page);
    for (const index of range(TAB_REPLIES)) {
      await sendMessage(page, conversationId, `Long reply ${index + 1}, please.`);
      await waitForLastReply(page, 'complete');
    }
    const replies = (await listMessages(page, conversationId)).filter((message) => message.role === 'assistant');
    if (replies.length !== TAB_REPLIES || replies.some((reply) => reply.content !== replyTextFor(TAB_MODEL))) {
      throw new Error('memory: the replies are not what the mock sent');
    }
    await resetProbe(page); // the bench hooks' own records are not the app's memory
    const heapAfter = await pageHeapAfterGc(page);
    const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    return { heapBefore, heapAfter, replyChars: replies.reduce((total, reply) => total + reply.content.length, 0), domNodes };
  } finally {
    await context.close();
  }
}

function maxOverlap(intervals: Array<{ startedAt: number; finishedAt?: number }>): number {
  const edges = intervals.flatMap((interval) => [
    { at: interval.startedAt, step: 1 },
    { at: interval.finishedAt ?? Number.POSITIVE_INFINITY, step: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let open = 0;
  let most = 0;
  for (const edge of edges) {
    open += edge.step;
    most = Math.max(most, open);
  }
  return most;
}

async function workerMemoryOnce(env: BenchEnv): Promise<WorkerMemoryRun> {
  const context = await newContext(env.browser);
  try {
    const page = await context.newPage();
    await openApp(page, env.appUrl);
    const providerId = await addMockProvider(page, env.mock.url);
    const worker = await WorkerSession.attach(env.browser, page);
    await page.waitForTimeout(300);
    const heapIdle = await worker.heapAfterGc();

    const ids: string[] = [];
    for (const index of range(WORKER_SESSIONS))
      ids.push(await createConversation(page, providerId, WORKER_MODEL, `Session ${index + 1}`));
    for (const id of ids) await callApi(page, 'openSession', id);
    const requestsBefore = env.mock.requests.length;
    await Promise.all(ids.map((id) => sendMessage(page, id, 'Write 2,000 tokens, please.')));
    // Mid-stream: the first replies are well under way, the rest wait for a connection.
    await page.waitForTimeout(1500);
    const heapStreaming = await worker.heapAfterGc();

    const deadline = Date.now() + 120_000;
    for (;;) {
      const last = await Promise.all(ids.map(async (id) => (await listMessages(page, id)).at(-1)?.status));
      if (last.every((status) => status === 'complete')) break;
      if (Date.now() > deadline) throw new Error('memory: the 20 replies did not all finish');
      await page.waitForTimeout(500);
    }
    const heapAfter = await worker.heapAfterGc();
    await worker.detach();
    const requests = env.mock.requests.slice(requestsBefore).filter((entry) => entry.model === WORKER_MODEL);
    return { heapIdle, heapStreaming, heapAfter, concurrentStreams: maxOverlap(requests) };
  } finally {
    await context.close();
  }
}

export interface MemoryResult {
  tab: TabMemoryRun;
  worker: WorkerMemoryRun;
  runs: { tab: TabMemoryRun[]; worker: WorkerMemoryRun[] };
}

export async function measureMemory(env: BenchEnv): Promise<MemoryResult> {
  const tabRuns: TabMemoryRun[] = [];
  const workerRuns: WorkerMemoryRun[] = [];
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  for (const run of range(env.runs)) {
    const tab = await tabMemoryOnce(env);
    const worker = await workerMemoryOnce(env);
    env.log(
      `memory run ${run + 1}: tab ${mb(tab.heapBefore)} → ${mb(tab.heapAfter)} after ${TAB_REPLIES} replies; ` +
        `worker ${mb(worker.heapIdle)} idle, ${mb(worker.heapStreaming)} with ${WORKER_SESSIONS} sessions streaming, ${mb(worker.heapAfter)} after`,
    );
    tabRuns.push(tab);
    workerRuns.push(worker);
  }
  return { tab: medianOfRuns(tabRuns), worker: medianOfRuns(workerRuns), runs: { tab: tabRuns, worker: workerRuns } };
}
