import type { CoreEvent } from '../shared/protocol';

/**
 * What a tab has asked of the core that a new core must hear again: the sessions it holds open
 * (a count each, as the core counts them), and the conversations the old core reported runs for.
 * A core that replaces a dead one knows none of it.
 */
export class OpenSessions {
  /** Conversation id → how many times the tab opened it. */
  readonly #open = new Map<string, number>();
  /** Conversations the current core sent run traffic for: the tab's view of them came from it. */
  readonly #heard = new Set<string>();
  /** The tab cannot be seen (a new core must not send it deltas either). */
  #hidden = false;

  setHidden(hidden: boolean): void {
    this.#hidden = hidden;
  }

  open(conversationId: string): void {
    this.#open.set(conversationId, (this.#open.get(conversationId) ?? 0) + 1);
  }

  /** False when the tab had not opened it (nothing to forward). */
  close(conversationId: string): boolean {
    const count = this.#open.get(conversationId) ?? 0;
    if (count === 0) return false;
    if (count === 1) this.#open.delete(conversationId);
    else this.#open.set(conversationId, count - 1);
    return true;
  }

  /** Note what an event says about runs (the tab's store keeps a session for each). */
  note(event: CoreEvent): void {
    if (event.type === 'run-status' || event.type === 'message-start') this.#heard.add(event.conversationId);
    else if (event.type === 'conversation-delete') this.#heard.delete(event.conversationId);
  }

  /**
   * For a new core: whether the tab is hidden, every open (as often as it was opened), and the
   * conversations whose run state came from the old core without being open here — a short open
   * and close of each gets the tab a snapshot from the new core, so a run that died with the old
   * one stops showing.
   */
  takeReplay(): { reopen: string[]; refresh: string[]; hidden: boolean } {
    const reopen = [...this.#open].flatMap(([conversationId, count]) => Array<string>(count).fill(conversationId));
    const refresh = [...this.#heard].filter((conversationId) => !this.#open.has(conversationId));
    this.#heard.clear();
    return { reopen, refresh, hidden: this.#hidden };
  }
}
