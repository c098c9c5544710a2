/** What an import left out, tallied by reason as it reads, for the report. */
import type { ImportNote } from '../../shared/protocol';

export class ImportNotes {
  readonly #counts = new Map<string, number>();

  /** Count `count` more of `what` ("tool calls and their results"). */
  add(what: string, count = 1): void {
    if (count > 0) this.#counts.set(what, (this.#counts.get(what) ?? 0) + count);
  }

  list(): ImportNote[] {
    return [...this.#counts].map(([what, count]) => ({ count, what }));
  }
}
