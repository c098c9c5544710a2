/**
 * Seeding a large history straight into IndexedDB, from a page of the app's origin that does
 * not start the core. The database and its stores must already exist, created by the app's own
 * upgrade code (history.ts lets the app start once first): this only writes rows, shaped like
 * the real records (`Conversation`, `Message` of src/shared/protocol.ts).
 */
import type { Page } from '@playwright/test';
import type { Conversation, Message } from '../../src/shared/protocol';

export interface SeedPlan {
  conversations: number;
  messages: number;
  /** The conversation with `bigMessages` messages; the rest share what is left. */
  bigConversationId: string;
  bigMessages: number;
  /** Its place in the list, newest first (0 = the newest, which `/` opens). */
  bigRank: number;
  providerId: string;
  modelId: string;
  now: number;
}

export interface SeedReport {
  conversations: number;
  messages: number;
  characters: number;
  ms: number;
}

/** Runs in the page: writes every row, a few thousand per transaction. */
function seedInPage(plan: SeedPlan): Promise<SeedReport> {
  const LOREM =
    'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat'.split(
      ' ',
    );
  const words = (count: number, seed: number) => {
    const out: string[] = [];
    for (let index = 0; index < count; index++) out.push(LOREM[(seed * 7 + index * 3) % LOREM.length]);
    const text = out.join(' ');
    return text[0].toUpperCase() + text.slice(1) + '.';
  };
  /** Replies vary the way chat replies do: prose, lists, code, tables, one-liners. */
  const assistantText = (seed: number) => {
    switch (seed % 5) {
      case 0:
        return `${words(45, seed)}\n\n${words(35, seed + 1)}`;
      case 1:
        return `${words(20, seed)}\n\n- ${words(6, seed + 1)}\n- ${words(8, seed + 2)}\n- ${words(5, seed + 3)}\n- ${words(7, seed + 4)}`;
      case 2:
        return `${words(18, seed)}\n\n\`\`\`ts\nexport function step${seed}(input: number): number {\n  const doubled = input * 2;\n  return doubled + ${seed % 97};\n}\n\`\`\`\n\n${words(12, seed + 5)}`;
      case 3:
        return words(14, seed);
      default:
        return `${words(16, seed)}\n\n| Name | Value | Note |\n| --- | ---: | --- |\n| alpha | ${seed % 100} | ${words(3, seed)} |\n| beta | ${(seed * 3) % 100} | ${words(3, seed + 1)} |\n| gamma | ${(seed * 7) % 100} | ${words(3, seed + 2)} |`;
    }
  };

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

    const others = plan.conversations - 1;
    const otherMessages = plan.messages - plan.bigMessages;
    const base = Math.floor(otherMessages / others);
    let extra = otherMessages - base * others;
    let messageCount = 0;
    let characters = 0;
    const HOUR = 3_600_000;
    for (let rank = 0; rank < plan.conversations; rank++) {
      const big = rank === plan.bigRank;
      const id = big ? plan.bigConversationId : `seed-${String(rank).padStart(4, '0')}`;
      const count = big ? plan.bigMessages : base + (extra-- > 0 ? 1 : 0);
      const updatedAt = plan.now - rank * HOUR;
      const createdAt = updatedAt - count * 60_000;
      let promptTokens = 0;
      let completionTokens = 0;
      let parentId: string | null = null;
      for (let index = 0; index < count; index++) {
        const role = index % 2 === 0 ? 'user' : 'assistant';
        const seed = rank * 1000 + index;
        const content = role === 'user' ? `${words(12 + (seed % 20), seed)} Can you explain?` : assistantText(seed);
        characters += content.length;
        const at = createdAt + (index + 1) * 60_000;
        const tokens = Math.ceil(content.length / 4);
        if (role === 'user') promptTokens += tokens;
        else completionTokens += tokens;
        const message: Message = {
          id: big ? `big-${String(index).padStart(5, '0')}` : `${id}-${String(index).padStart(3, '0')}`,
          conversationId: id,
          parentId,
          role,
          content,
          status: 'complete',
          createdAt: at,
          updatedAt: at,
          ...(role === 'assistant'
            ? {
                model: plan.modelId,
                providerId: plan.providerId,
                finishReason: 'stop' as const,
                usage: { promptTokens: 40, completionTokens: tokens },
                cost: 0.0001,
              }
            : {}),
        };
        pending.push({ store: 'messages', value: message });
        parentId = message.id;
        messageCount += 1;
      }
      const conversation: Conversation = {
        id,
        title: big ? 'The long one (2,000 messages)' : `${words(4, rank)} #${rank}`,
        activeLeafId: parentId,
        providerId: plan.providerId,
        modelId: plan.modelId,
        createdAt,
        updatedAt,
        usage: { promptTokens, completionTokens },
        cost: (count / 2) * 0.0001,
      };
      pending.push({ store: 'conversations', value: conversation });
      if (pending.length >= 2500) await flush();
    }
    await flush();
    database.close();
    return { conversations: plan.conversations, messages: messageCount, characters, ms: performance.now() - started };
  });
}

export function seedHistory(page: Page, plan: SeedPlan): Promise<SeedReport> {
  return page.evaluate(seedInPage, plan);
}
