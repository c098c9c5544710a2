/**
 * Seeding a history of chat-like text (bench/lib/corpus.ts) straight into IndexedDB, from a page
 * of the app's origin that does not start the core (as seed-history.ts does for lorem ipsum):
 * `conversations` linear conversations sharing `messages` messages.
 */
import type { Page } from '@playwright/test';
import type { Conversation, Message } from '../../src/shared/protocol';
import { makeCorpus } from './corpus';

export interface CorpusSeed {
  conversations: number;
  messages: number;
  characters: number;
  ms: number;
}

interface InPagePlan {
  conversations: number;
  messages: number;
  now: number;
  corpus: string;
}

function seedInPage(plan: InPagePlan): Promise<CorpusSeed> {
  // The generator arrives as source text: page.evaluate cannot carry a function inside its argument.
  const makeCorpusInPage = new Function(`return (${plan.corpus})`)() as typeof makeCorpus;
  const texts = makeCorpusInPage(plan.messages, 1);
  const started = performance.now();
  return new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('parley');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  }).then(async (database) => {
    if (!database.objectStoreNames.contains('messages')) throw new Error('seed: the app has not created its database yet');
    let pending: Array<{ store: 'conversations' | 'messages'; value: Conversation | Message }> = [];
    const flush = () =>
      new Promise<void>((resolve, reject) => {
        const transaction = database.transaction(['conversations', 'messages'], 'readwrite');
        for (const row of pending) transaction.objectStore(row.store).put(row.value);
        pending = [];
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(transaction.error);
      });
    const perConversation = Math.floor(plan.messages / plan.conversations);
    let characters = 0;
    let next = 0;
    for (let rank = 0; rank < plan.conversations; rank++) {
      const id = `corpus-${String(rank).padStart(5, '0')}`;
      const count = rank === plan.conversations - 1 ? plan.messages - next : perConversation;
      const updatedAt = plan.now - rank * 3_600_000;
      let parentId: string | null = null;
      for (let index = 0; index < count; index++, next++) {
        const { role, content } = texts[next];
        characters += content.length;
        const at = updatedAt - (count - index) * 60_000;
        const message: Message = {
          id: `${id}-${String(index).padStart(3, '0')}`,
          conversationId: id,
          parentId,
          role,
          content,
          status: 'complete',
          createdAt: at,
          updatedAt: at,
        };
        pending.push({ store: 'messages', value: message });
        parentId = message.id;
      }
      const conversation: Conversation = {
        id,
        title: texts[next - count].content.split(/[.?]/)[0].slice(0, 60),
        activeLeafId: parentId,
        providerId: '',
        modelId: '',
        createdAt: updatedAt - count * 60_000,
        updatedAt,
        usage: { promptTokens: 0, completionTokens: 0 },
        cost: 0,
      };
      pending.push({ store: 'conversations', value: conversation });
      if (pending.length >= 2500) await flush();
    }
    await flush();
    database.close();
    return { conversations: plan.conversations, messages: next, characters, ms: performance.now() - started };
  });
}

export function seedCorpus(page: Page, plan: { conversations: number; messages: number }): Promise<CorpusSeed> {
  return page.evaluate(seedInPage, { ...plan, now: Date.now(), corpus: makeCorpus.toString() });
}
