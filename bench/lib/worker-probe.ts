/**
 * Counters injected into the SharedWorker through CDP (no app code): bytes and messages it
 * posts on its ports, and every read-write IndexedDB transaction with its stores and timing.
 * Bytes are JSON lengths of the posted data, a close proxy for the structured-clone size of
 * plain records (one byte per ASCII character, plus the Comlink envelope). The `sentAt` stamp
 * of bench builds is not counted.
 */
import type { Page } from '@playwright/test';
import type { WorkerSession } from './browser';

export interface WriteRecord {
  stores: string;
  startedAt: number;
  endedAt: number;
}

export interface WorkerCounters {
  portBytes: number;
  portMessages: number;
  writes: WriteRecord[];
}

const INSTALL = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  if (!globalThis.__benchWorker) {
    const state = { portBytes: 0, portMessages: 0, writes: [] };
    const post = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (message, ...rest) {
      state.portMessages += 1;
      // The bench build's own sentAt stamp is left out: a normal build never sends it.
      try { state.portBytes += JSON.stringify(message, (key, value) => (key === 'sentAt' ? undefined : value))?.length ?? 0; } catch {}
      return post.call(this, message, ...rest);
    };
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (stores, mode, ...rest) {
      const result = transaction.call(this, stores, mode, ...rest);
      if (mode === 'readwrite') {
        const record = { stores: [].concat(stores).join('+'), startedAt: now(), endedAt: NaN };
        state.writes.push(record);
        result.addEventListener('complete', () => { record.endedAt = now(); });
      }
      return result;
    };
    globalThis.__benchWorker = state;
  }
  const state = globalThis.__benchWorker;
  state.portBytes = 0;
  state.portMessages = 0;
  state.writes = [];
  return true;
})()`;

/** Install the counters (once) and zero them. */
export async function resetWorkerCounters(worker: WorkerSession): Promise<void> {
  await worker.evaluate(INSTALL);
}

export function readWorkerCounters(worker: WorkerSession): Promise<WorkerCounters> {
  return worker.evaluate<WorkerCounters>('globalThis.__benchWorker');
}

/** The same byte counter in a tab: what it posts back to the core (Comlink replies, calls). */
export async function resetTabCounters(page: Page): Promise<void> {
  await page.evaluate(() => {
    const scope = window as unknown as { __benchTab?: { portBytes: number; portMessages: number } };
    if (!scope.__benchTab) {
      const state = { portBytes: 0, portMessages: 0 };
      const post = MessagePort.prototype.postMessage as (this: MessagePort, ...args: unknown[]) => void;
      MessagePort.prototype.postMessage = function (this: MessagePort, ...args: unknown[]) {
        state.portMessages += 1;
        try {
          state.portBytes += JSON.stringify(args[0])?.length ?? 0;
        } catch {
          // A message JSON cannot express (a port alone): counted, sized zero.
        }
        return post.apply(this, args);
      } as typeof MessagePort.prototype.postMessage;
      scope.__benchTab = state;
    }
    scope.__benchTab.portBytes = 0;
    scope.__benchTab.portMessages = 0;
  });
}

export function readTabCounters(page: Page): Promise<{ portBytes: number; portMessages: number }> {
  return page.evaluate(() => (window as unknown as { __benchTab: { portBytes: number; portMessages: number } }).__benchTab);
}
