import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show, type JSX } from 'solid-js';
import type { Message } from '../../shared/protocol';
import type { MessageTree } from '../../shared/tree';
import { MessageItem, type MessagePlace } from './MessageItem';

/** Messages rendered at first from the end of a long conversation; more as the reader scrolls up. */
const WINDOW = 60;
/**
 * Messages added each time the reader nears the top. Small, so each step fits in a frame: 120
 * at once took 70–100 ms and dropped frames mid-scroll (bench/README.md, history scale).
 */
const SCROLL_STEP = 20;

interface Props {
  conversationId: string;
  /** The branch shown, root first. */
  messages: Message[];
  /** Every branch: for each message's versions and what hangs below it. */
  tree: MessageTree<Message>;
  /** A message opened by its link: marked, and scrolled to instead of the end. */
  highlightedId?: string;
  busy: boolean;
  /** The reply the core is writing now, once the session's state is known (else undefined). */
  streamingMessageId: string | null | undefined;
  runNote?: { badge: string; detail?: string };
  onDelete: (messageId: string) => void;
  onRegenerate: (messageId: string) => void;
  onEdit: (messageId: string, text: string) => Promise<boolean>;
  /** Show the branch through this message. */
  onSwitch: (messageId: string) => void;
  onResume: () => void;
  onOpenSettings: () => void;
  onChooseModel: () => void;
}

/**
 * The reading column. Follows the reply while the reader is at the bottom; once they scroll
 * up it stays put and offers "Jump to latest". Long histories render their tail first.
 */
export function MessageList(props: Props): JSX.Element {
  const [shown, setShown] = createSignal(WINDOW);
  const [pinned, setPinned] = createSignal(true);
  let scroller: HTMLDivElement | undefined;
  let column: HTMLDivElement | undefined;
  let topSentinel: HTMLDivElement | undefined;

  /**
   * Render older messages above. Chromium's scroll anchoring keeps the reader's place; at the
   * very top it does not engage, so the offset is restored by hand there.
   */
  const showEarlier = (count: number) => {
    if (!scroller || hidden() === 0) return;
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    const atTop = scroller.scrollTop < 1;
    setShown(shown() + count);
    if (atTop) scroller.scrollTop = scroller.scrollHeight - fromBottom;
  };

  /**
   * A row still marked `streaming` that the core is not writing (its final save failed, or the
   * core died) is shown as interrupted, with Resume, rather than "Writing…" forever.
   */
  const asShown = (message: Message): Message =>
    message.status === 'streaming' && props.streamingMessageId !== undefined && props.streamingMessageId !== message.id
      ? { ...message, status: 'interrupted' }
      : message;
  const visible = createMemo(() => props.messages.slice(Math.max(0, props.messages.length - shown())).map(asShown));
  const hidden = () => Math.max(0, props.messages.length - shown());
  const leafId = createMemo(() => props.messages.at(-1)?.id);
  const placeOf = (message: Message): MessagePlace => {
    const siblings = props.tree.siblings(message.id);
    return {
      index: siblings.findIndex((sibling) => sibling.id === message.id),
      count: siblings.length,
      descendants: () => props.tree.subtree(message.id).length - 1,
    };
  };

  const atBottom = () => !scroller || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
  const scrollToEnd = () => {
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
  };

  createEffect(
    on(
      () => props.conversationId,
      () => {
        setShown(WINDOW);
        setPinned(true);
        queueMicrotask(scrollToEnd);
      },
    ),
  );
  // A linked message: rendered (however far up), scrolled to, and the view stops following the end.
  createEffect(
    on(
      () => (props.highlightedId ? props.messages.findIndex((message) => message.id === props.highlightedId) : -1),
      (index) => {
        if (index < 0) return;
        setShown(Math.max(shown(), props.messages.length - index));
        setPinned(false);
        const id = props.highlightedId;
        queueMicrotask(() =>
          [...(scroller?.querySelectorAll<HTMLElement>('[data-testid="message"]') ?? [])]
            .find((element) => element.dataset.id === id)
            ?.scrollIntoView({ block: 'center' }),
        );
      },
    ),
  );
  onMount(() => {
    // Only the reader moving up unpins: content growing under a programmatic scroll must not.
    let lastTop = scroller?.scrollTop ?? 0;
    const onScroll = () => {
      const top = scroller!.scrollTop;
      if (top < lastTop - 2) setPinned(atBottom());
      else if (atBottom()) setPinned(true);
      lastTop = top;
    };
    scroller?.addEventListener('scroll', onScroll, { passive: true });
    // Whatever grows the column (streamed text, a highlighted code block, a new message)
    // keeps the view at the end while pinned.
    const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(() => pinned() && scrollToEnd());
    if (column) observer?.observe(column);
    // Older messages load before the reader reaches the top. Watched only while there are some:
    // an observer computes intersections on every frame, streaming frames too.
    const nearTop =
      typeof IntersectionObserver === 'undefined'
        ? undefined
        : new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && showEarlier(SCROLL_STEP), {
            root: scroller,
            rootMargin: '800px 0px 0px 0px',
          });
    createEffect(() => {
      if (!topSentinel || !nearTop) return;
      if (hidden() > 0) nearTop.observe(topSentinel);
      else nearTop.unobserve(topSentinel);
    });
    onCleanup(() => {
      scroller?.removeEventListener('scroll', onScroll);
      observer?.disconnect();
      nearTop?.disconnect();
    });
  });

  return (
    <div class="message-scroller" classList={{ following: pinned() }} ref={scroller}>
      <div class="message-column" ref={column} role="log" aria-live="off">
        <div ref={topSentinel} aria-hidden="true" />
        <Show when={hidden() > 0}>
          <button class="button small show-earlier" onClick={() => showEarlier(WINDOW * 2)}>
            Show {Math.min(hidden(), WINDOW * 2)} earlier messages
          </button>
        </Show>
        <For each={visible()}>
          {(message) => (
            <MessageItem
              message={message}
              place={placeOf(message)}
              isLeaf={message.id === leafId()}
              highlighted={message.id === props.highlightedId}
              conversationBusy={props.busy}
              runNote={message.status === 'streaming' ? props.runNote : undefined}
              onDelete={() => props.onDelete(message.id)}
              onRegenerate={() => props.onRegenerate(message.id)}
              onEdit={(text) => props.onEdit(message.id, text)}
              onShowVersion={(index) => {
                const sibling = props.tree.siblings(message.id)[index];
                if (sibling) props.onSwitch(sibling.id);
              }}
              onResume={props.onResume}
              onOpenSettings={props.onOpenSettings}
              onChooseModel={props.onChooseModel}
            />
          )}
        </For>
      </div>
      <Show when={!pinned()}>
        <button
          class="button jump-latest"
          data-testid="jump-latest"
          onClick={() => {
            setPinned(true);
            scrollToEnd();
          }}
        >
          ↓ Jump to latest
        </button>
      </Show>
    </div>
  );
}
