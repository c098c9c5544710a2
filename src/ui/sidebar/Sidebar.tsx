import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { useStore } from '../context';
import { createChatActions, createConversations } from '../primitives';
import { conversationPath, navigate, route } from '../router';
import { isRunning } from '../state/app-state';
import { ConversationItem } from './ConversationItem';
import { SyncBadge } from '../sync/SyncBadge';
import { matchesTitle } from '../title-filter';
import { groupConversations } from './group-by-date';
import { openSearch } from '../search/search-open';
import { APPLE_KEYS } from '../keys';
import { canInstall, install } from '../shell/pwa';
import './sidebar.css';

/** Rows rendered at first; more are added as the list scrolls (long histories stay fast). */
const PAGE = 100;
/** The filter asks the core about message text once typing pauses this long. */
const FILTER_PAUSE_MS = 150;

interface Props {
  open: boolean;
  onClose: () => void;
  onError: (message: string) => void;
}

/** Conversations newest first, grouped by day, with a filter and a New chat button. */
export function Sidebar(props: Props): JSX.Element {
  const { state, client } = useStore();
  const conversations = createConversations();
  const actions = createChatActions();
  const [filter, setFilter] = createSignal('');
  const [limit, setLimit] = createSignal(PAGE);
  const activeId = () => {
    const current = route();
    return current.name === 'conversation' ? current.conversationId : undefined;
  };

  // Opened as a drawer: focus goes into it, where the person is about to choose (to the drawer
  // itself: focusing the filter would raise a phone's keyboard over the list).
  let drawer: HTMLElement | undefined;
  createEffect(
    on(
      () => props.open,
      (open) => {
        if (open) queueMicrotask(() => drawer?.focus());
      },
      { defer: true },
    ),
  );

  // Conversations whose messages match the filter, from the core's search (titles match here).
  const [contentMatches, setContentMatches] = createSignal<ReadonlySet<string>>(new Set());
  createEffect(
    on(filter, (text) => {
      setContentMatches(new Set<string>());
      if (text.trim().length < 2) return;
      const timer = setTimeout(async () => {
        // Exact words and prefixes: a typo-tolerant filter would keep rows the reader meant to drop.
        const found = await client.api.search(text, { limit: 1, typos: false });
        if (filter() === text) setContentMatches(new Set(found.conversationIds));
      }, FILTER_PAUSE_MS);
      onCleanup(() => clearTimeout(timer));
    }),
  );
  const filtered = createMemo(() => {
    const text = filter();
    const inContent = contentMatches();
    return text.trim()
      ? conversations().filter((conversation) => matchesTitle(conversation.title, text) || inContent.has(conversation.id))
      : conversations();
  });
  const groups = createMemo(() => groupConversations(filtered().slice(0, limit()), Date.now()));
  // Sections keyed by their label, rows by their conversation: a change to the list (the rest of
  // it arriving after the first screen, a reply moving one to the top) re-creates no other row.
  const labels = createMemo(() => groups().map((group) => group.label), undefined, {
    equals: (before, after) => before.length === after.length && before.every((label, index) => label === after[index]),
  });
  const itemsOf = (label: string) => groups().find((group) => group.label === label)?.items ?? [];

  let sentinel: HTMLDivElement | undefined;
  onMount(() => {
    if (!sentinel || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && limit() < filtered().length) setLimit(limit() + PAGE);
    });
    // Watched only while rows are left to add: an observer costs something on every frame.
    createEffect(() => {
      if (limit() < filtered().length) observer.observe(sentinel!);
      else observer.unobserve(sentinel!);
    });
    onCleanup(() => observer.disconnect());
  });

  const newChat = async () => {
    const created = await actions.create();
    if (!created.ok) {
      props.onError(created.error.message);
      return;
    }
    props.onClose();
    navigate(conversationPath(created.value.id));
  };

  const remove = async (conversationId: string) => {
    const wasActive = activeId() === conversationId;
    const error = await actions.remove(conversationId);
    if (error) props.onError(error.message);
    else if (wasActive) navigate('/', { replace: true });
  };

  return (
    <nav ref={drawer} class="sidebar" classList={{ open: props.open }} aria-label="Conversations" tabIndex={-1}>
      <div class="sidebar-top">
        <span class="sidebar-brand">Parley</span>
        <div class="sidebar-actions">
          <button
            class="button ghost"
            data-testid="search-open"
            title={APPLE_KEYS ? 'Search (⌘K)' : 'Search (Ctrl+K)'}
            aria-keyshortcuts={APPLE_KEYS ? 'Meta+K' : 'Control+K'}
            onClick={() => openSearch()}
          >
            <span aria-hidden="true">⌕</span> Search
          </button>
          <button class="button primary" data-testid="new-chat" onClick={newChat}>
            New chat
          </button>
        </div>
      </div>
      <label class="visually-hidden" for="conversation-filter">
        Filter conversations
      </label>
      <input
        id="conversation-filter"
        class="sidebar-filter"
        type="search"
        placeholder="Filter by title or text"
        value={filter()}
        onInput={(event) => {
          setFilter(event.currentTarget.value);
          setLimit(PAGE);
        }}
      />
      <div class="sidebar-scroll">
        <ul class="conversation-list" data-testid="conversation-list">
          <For each={labels()}>
            {(label) => (
              <li class="conversation-group">
                <h2 class="conversation-group-label">{label}</h2>
                <ul>
                  <For each={itemsOf(label)}>
                    {(conversation) => (
                      <ConversationItem
                        conversation={conversation}
                        active={activeId() === conversation.id}
                        running={isRunning(state.sessions[conversation.id]?.runStatus)}
                        onRename={async (title) => {
                          const error = await actions.rename(conversation.id, title);
                          if (error) props.onError(error.message);
                        }}
                        onDelete={() => remove(conversation.id)}
                      />
                    )}
                  </For>
                </ul>
              </li>
            )}
          </For>
        </ul>
        <Show when={state.ready && filtered().length === 0}>
          <p class="sidebar-empty">{filter().trim() ? 'No conversation matches.' : 'No conversations yet.'}</p>
        </Show>
        <div ref={sentinel} class="sidebar-sentinel" aria-hidden="true" />
      </div>
      <div class="sidebar-bottom">
        <a
          class="button ghost"
          data-testid="open-settings"
          href="/settings"
          onClick={(event) => {
            event.preventDefault();
            props.onClose();
            navigate('/settings');
          }}
        >
          ⚙ Settings
        </a>
        <SyncBadge onOpen={props.onClose} />
        <Show when={canInstall()}>
          <button class="button ghost" data-testid="install-app" onClick={() => void install()}>
            ⤓ Install app
          </button>
        </Show>
      </div>
    </nav>
  );
}
