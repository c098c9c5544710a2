import { Show, type JSX } from 'solid-js';

interface Props {
  /** 0-based position of this message among its siblings. */
  index: number;
  count: number;
  onShow: (index: number) => void;
}

/** "‹ 2 / 3 ›" on a message with alternatives (an edited question, a regenerated reply). */
export function BranchNav(props: Props): JSX.Element {
  return (
    <Show when={props.count > 1}>
      <span class="branch-nav" role="group" aria-label="Versions of this message">
        <button
          class="button ghost small"
          data-testid="branch-prev"
          aria-label="Previous version"
          disabled={props.index === 0}
          onClick={() => props.onShow(props.index - 1)}
        >
          ‹
        </button>
        <span class="branch-position" data-testid="branch-position" aria-live="polite">
          {props.index + 1} / {props.count}
        </span>
        <button
          class="button ghost small"
          data-testid="branch-next"
          aria-label="Next version"
          disabled={props.index === props.count - 1}
          onClick={() => props.onShow(props.index + 1)}
        >
          ›
        </button>
      </span>
    </Show>
  );
}
