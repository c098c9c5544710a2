import type { Message } from '../../shared/protocol';
import type { Repository } from '../storage/repository';

/**
 * Replies a core that died left `streaming`, which this core marked `interrupted` (it holds the
 * database's writer lock: see database-writer.ts). A tab that watched one stream from the dead
 * core may show more of it than was saved — the last deltas after the last checkpoint. When that
 * tab opens the conversation on this core, it gets the saved row first (`message-upsert`), so
 * what it shows is what Resume continues from, exactly as after a reload.
 */
export class AbandonedReplies {
  readonly #repository: Pick<Repository, 'getMessage' | 'markStreamingInterrupted'>;
  /** Conversation id → ids of its replies this core marked interrupted. */
  readonly #marked = new Map<string, Set<string>>();

  constructor(repository: Pick<Repository, 'getMessage' | 'markStreamingInterrupted'>) {
    this.#repository = repository;
  }

  /** Mark every abandoned reply interrupted, sparing those `isLive` (this core's own runs). */
  async recover(isLive: (conversationId: string) => boolean): Promise<Message[]> {
    const marked = await this.#repository.markStreamingInterrupted(Date.now(), (message) => isLive(message.conversationId));
    for (const message of marked) {
      const ids = this.#marked.get(message.conversationId) ?? new Set<string>();
      this.#marked.set(message.conversationId, ids.add(message.id));
    }
    return marked;
  }

  /** The conversation's marked replies that are still interrupted (not resumed, not deleted since). */
  async of(conversationId: string): Promise<Message[]> {
    const ids = this.#marked.get(conversationId);
    if (!ids) return [];
    const rows = await Promise.all([...ids].map((id) => this.#repository.getMessage(id)));
    const interrupted = rows.filter((row): row is Message => row?.status === 'interrupted');
    if (interrupted.length === 0) this.#marked.delete(conversationId);
    return interrupted;
  }
}
