import { batch } from 'solid-js';
import type { CoreEvent } from '../../shared/protocol';
import { pageHidden, watchPageVisibility } from './page-visibility';

/** How long a tab shown again waits for the core's snapshots before rendering what it has. */
const SNAPSHOT_WAIT_MS = 500;
/**
 * Events a hidden tab holds at most: past this (a big import or first sync seen from a tab in
 * the background), it applies them, so memory stays bounded; they render nothing anyway.
 */
const MAX_HELD = 1000;

export interface HiddenTab {
  /** Holds an event that arrives while the page is hidden; whether it did. */
  hold(event: CoreEvent, receivedAt: number): boolean;
  /** Applies what it holds, in arrival order (before any other event, so each meets its state). */
  release(): void;
  /** The store applied `event`: a snapshot may end the wait of a tab shown again. */
  applied(event: CoreEvent): void;
  dispose(): void;
}

export interface HiddenTabOptions {
  setHidden(hidden: boolean): Promise<void>;
  apply(event: CoreEvent, receivedAt: number): void;
  /** Conversations on screen with a reply streaming: a tab shown again waits for their snapshots. */
  streamingShown(): string[];
}

/**
 * What the store does while the tab cannot be seen. Nothing it would render is seen, so:
 *  1. Hidden: the core is told (`setHidden`) and sends no more deltas. What still comes (deltas
 *     in flight, a reply's start and end, run status, list changes) is held, so the page's DOM
 *     does not change while nobody can see it.
 *  2. Shown: what was held is applied in one batch, and the core asked to catch the tab up; it
 *     answers with a snapshot of each open conversation, then deltas again. Views stay asleep (`pageVisible`)
 *     until the snapshots of the replies streaming on screen are in, so each renders once,
 *     caught up — or until `SNAPSHOT_WAIT_MS`, should the core not answer.
 */
export function makeHiddenTab(options: HiddenTabOptions): HiddenTab {
  const held: Array<{ event: CoreEvent; receivedAt: number }> = [];
  let waiting: { conversations: Set<string>; done: () => void } | undefined;

  const release = () => {
    if (held.length === 0) return;
    const events = held.splice(0);
    batch(() => events.forEach(({ event, receivedAt }) => options.apply(event, receivedAt)));
  };

  const stop = watchPageVisibility({
    hidden: () => void options.setHidden(true),
    shown: () => {
      release();
      const conversations = new Set(options.streamingShown());
      void options.setHidden(false);
      if (conversations.size === 0) return;
      return new Promise<void>((resolve) => {
        const done = () => {
          waiting = undefined;
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, SNAPSHOT_WAIT_MS);
        waiting = { conversations, done };
      });
    },
  });
  // A tab that starts in the background (opened with a middle click) is hidden from the first.
  if (pageHidden()) void options.setHidden(true);

  return {
    hold(event, receivedAt) {
      if (!pageHidden()) return false;
      held.push({ event, receivedAt });
      if (held.length >= MAX_HELD) release();
      return true;
    },
    release,
    applied(event) {
      if (event.type !== 'session-snapshot' || !waiting) return;
      waiting.conversations.delete(event.session.conversationId);
      if (waiting.conversations.size === 0) waiting.done();
    },
    dispose() {
      stop();
      waiting?.done();
    },
  };
}
