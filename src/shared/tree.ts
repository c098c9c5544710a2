/**
 * A conversation is a tree of messages: each has a `parentId` (null for a first message), and
 * siblings are alternatives (an edited question, a regenerated reply). The branch shown — and
 * sent to the provider — is the path from the root to the conversation's `activeLeafId`.
 * Pure code over plain records, used by the core and the tabs alike.
 */
import type { Message } from './protocol';

/** The fields of a message the tree needs. */
export type TreeNode = Pick<Message, 'id' | 'parentId' | 'createdAt'>;

/** Older first; equal times (imports) by id, so every reader orders alike. */
export function byCreation(first: TreeNode, second: TreeNode): number {
  return first.createdAt - second.createdAt || (first.id < second.id ? -1 : first.id > second.id ? 1 : 0);
}

/** One conversation's messages as a tree. Built once per change; lookups are cheap. */
export class MessageTree<T extends TreeNode = TreeNode> {
  readonly #byId = new Map<string, T>();
  /** Children of every message (key `null`: the roots), oldest first. */
  readonly #children = new Map<string | null, T[]>();

  constructor(messages: Iterable<T>) {
    for (const message of messages) {
      this.#byId.set(message.id, message);
      const siblings = this.#children.get(message.parentId);
      if (siblings) siblings.push(message);
      else this.#children.set(message.parentId, [message]);
    }
    for (const siblings of this.#children.values()) siblings.sort(byCreation);
  }

  get(id: string): T | undefined {
    return this.#byId.get(id);
  }

  get size(): number {
    return this.#byId.size;
  }

  /** The children of `id` (null: the roots), oldest first. */
  children(id: string | null): readonly T[] {
    return this.#children.get(id) ?? [];
  }

  /** The message and its alternatives (the children of its parent), oldest first. */
  siblings(id: string): readonly T[] {
    const node = this.#byId.get(id);
    return node ? this.children(node.parentId) : [];
  }

  /**
   * The path from the root down to `leafId`, root first; empty when `leafId` is null or unknown.
   * Stops at a missing parent or a cycle rather than looping (imported data is not trusted).
   */
  path(leafId: string | null): T[] {
    const path: T[] = [];
    const seen = new Set<string>();
    for (let node = leafId ? this.#byId.get(leafId) : undefined; node && !seen.has(node.id);) {
      seen.add(node.id);
      path.push(node);
      node = node.parentId ? this.#byId.get(node.parentId) : undefined;
    }
    return path.reverse();
  }

  /** `id` and everything below it. */
  subtree(id: string): string[] {
    const ids: string[] = [];
    const pending = [id];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const current = pending.pop()!;
      if (seen.has(current) || !this.#byId.has(current)) continue;
      seen.add(current);
      ids.push(current);
      for (const child of this.children(current)) pending.push(child.id);
    }
    return ids;
  }

  /**
   * The most recently created leaf at or below `id` — where "show this branch" lands, so a
   * branch comes back as it was last extended. `id` itself when it has no children.
   */
  latestLeafUnder(id: string): string {
    let latest: T | undefined;
    for (const candidate of this.subtree(id)) {
      if (this.children(candidate).length > 0) continue;
      const node = this.#byId.get(candidate)!;
      if (!latest || byCreation(latest, node) < 0) latest = node;
    }
    return latest?.id ?? id;
  }

  /** The most recently created leaf of the whole conversation (null when it is empty). */
  latestLeaf(): string | null {
    let latest: T | undefined;
    for (const node of this.#byId.values()) {
      if (this.children(node.id).length > 0) continue;
      if (!latest || byCreation(latest, node) < 0) latest = node;
    }
    return latest?.id ?? null;
  }
}

/**
 * Parent links for messages stored as a flat list (schema v2, export v1, the seed's shape): each
 * message's parent is the one before it, in order. Returns the last message's id (the leaf).
 */
export function linkInOrder(ordered: { id: string; parentId?: string | null }[]): string | null {
  let previous: string | null = null;
  for (const message of ordered) {
    message.parentId = previous;
    previous = message.id;
  }
  return previous;
}
