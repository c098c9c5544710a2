/**
 * How long a reply reasoned, for "Thought for 12 s". A stretch of reasoning opens with its first
 * reasoning text and closes with the first answer text after it (or the run's end); a resumed
 * reply that reasons again adds the new stretch to what it had.
 */
export class ReasoningClock {
  #total: number | undefined;
  #openedAt: number | undefined;

  /** `previousMs`: what the reply had already (a resume). */
  constructor(previousMs: number | undefined) {
    this.#total = previousMs;
  }

  /** The time reasoned so far, once a stretch closed; undefined before. */
  get totalMs(): number | undefined {
    return this.#total;
  }

  /**
   * Note what just arrived; returns the new total when this closed a stretch (so the batch that
   * carries it can tell the tabs), else undefined.
   */
  note(arrived: { reasoning: boolean; text: boolean }, now: number): number | undefined {
    if (arrived.reasoning && this.#openedAt === undefined) this.#openedAt = now;
    if (arrived.text && this.#openedAt !== undefined) return this.close(now);
    return undefined;
  }

  /** Close an open stretch (the answer started, or the run ended); returns the new total if it was open. */
  close(now: number): number | undefined {
    if (this.#openedAt === undefined) return undefined;
    this.#total = (this.#total ?? 0) + (now - this.#openedAt);
    this.#openedAt = undefined;
    return this.#total;
  }
}
