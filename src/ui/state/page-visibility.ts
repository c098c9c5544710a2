import { batch, createSignal, type Accessor, type Setter } from 'solid-js';

/** Run when the page is hidden; or shown, before views hear of it (what it returns is awaited first). */
type Hook = () => Promise<void> | void;

interface PageVisibility {
  /** Views render while this is true. */
  visible: Accessor<boolean>;
  setVisible: Setter<boolean>;
  onShown: Set<Hook>;
  onHidden: Set<Hook>;
  /** Bumped on every change, so a slow wake-up does not outlive a newer hide. */
  generation: number;
}

let watched: PageVisibility | undefined;

const documentVisible = () => document.visibilityState !== 'hidden';

/**
 * Shown again: the hooks run first (the store applies what it held and asks the core to catch
 * up), in one batch with the views' wake-up when none has anything to wait for; else the views
 * wake once every hook's wait is over. Either way the reply renders once, caught up.
 */
function onChange(state: PageVisibility): void {
  const generation = ++state.generation;
  if (!documentVisible()) {
    state.onHidden.forEach((hook) => void hook());
    state.setVisible(false);
    return;
  }
  const waits: Array<Promise<void>> = [];
  batch(() => {
    for (const hook of state.onShown) {
      const wait = hook();
      if (wait) waits.push(wait);
    }
    if (waits.length === 0) state.setVisible(true);
  });
  if (waits.length > 0) {
    void Promise.allSettled(waits).then(() => {
      if (state.generation === generation && documentVisible()) state.setVisible(true);
    });
  }
}

function watch(): PageVisibility {
  if (watched) return watched;
  const [visible, setVisible] = createSignal(documentVisible());
  const state: PageVisibility = { visible, setVisible, onShown: new Set(), onHidden: new Set(), generation: 0 };
  document.addEventListener('visibilitychange', () => onChange(state));
  watched = state;
  return state;
}

/**
 * Reactive: whether views should render now. False while another tab is in front or the window
 * is minimised (`document.visibilityState`): a hidden page paints nothing, so rendering for it
 * is work nobody sees.
 */
export function pageVisible(): boolean {
  return watch().visible();
}

/** Not reactive: whether the page is hidden now (views may still be waking up once it is not). */
export function pageHidden(): boolean {
  return !documentVisible();
}

/** Hooks on the page being hidden and shown again; returns the stop. */
export function watchPageVisibility(hooks: { hidden: Hook; shown: Hook }): () => void {
  const state = watch();
  state.onHidden.add(hooks.hidden);
  state.onShown.add(hooks.shown);
  return () => {
    state.onHidden.delete(hooks.hidden);
    state.onShown.delete(hooks.shown);
  };
}
