import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show, type JSX } from 'solid-js';
import type { Conversation, SearchResults } from '../../shared/protocol';
import { useStore } from '../context';
import { conversationPath, messagePath, navigate } from '../router';
import { matchesTitle } from '../title-filter';
import { SearchResult, TitleResult } from './SearchResult';
import './search.css';
import { isComposing } from '../keys';

/** Keystrokes closer together than this make one query: the core answers what was typed, not each letter. */
const TYPING_PAUSE_MS = 60;
/** While the core is still indexing (after a start or an import), the same query is asked again this often. */
const INDEXING_REFRESH_MS = 750;
const RESULTS_SHOWN = 30;
/** Conversations found by their title alone, listed after the messages. */
const TITLES_SHOWN = 5;

interface Props {
  onClose: () => void;
  /** A result was opened (the shell closes the drawer on phones). */
  onOpened?: () => void;
}

/**
 * The command palette (Ctrl/Cmd+K, or the search button): results as you type, arrows to move,
 * Enter to open the message on its branch, Esc to close. Loaded lazily: none of this is in the
 * first load.
 */
export function SearchPalette(props: Props): JSX.Element {
  const { client, state } = useStore();
  const [query, setQuery] = createSignal('');
  const [results, setResults] = createSignal<SearchResults>();
  const [selected, setSelected] = createSignal(0);
  /** Bumped to ask the same query again while the index grows. */
  const [refresh, setRefresh] = createSignal(0);
  let input: HTMLInputElement | undefined;
  let list: HTMLUListElement | undefined;
  const returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;

  onMount(() => input?.focus());
  onCleanup(() => returnFocus?.focus());

  // Only the answer to the latest query is shown, however the answers arrive.
  let latest = 0;
  createEffect(
    on([query, refresh], ([text], previous) => {
      const ticket = ++latest;
      const again = previous !== undefined && previous[0] === text;
      if (!text.trim()) {
        setResults(undefined);
        return;
      }
      let timer = setTimeout(async () => {
        const answer = await client.api.search(text, { limit: RESULTS_SHOWN });
        if (ticket !== latest) return;
        setResults(answer);
        // A refresh keeps the reader's place; a new query starts at the top.
        if (!again || selected() >= count()) setSelected(0);
        if (answer.indexing) timer = setTimeout(() => setRefresh((count) => count + 1), INDEXING_REFRESH_MS);
      }, TYPING_PAUSE_MS);
      onCleanup(() => clearTimeout(timer));
    }),
  );

  const hits = () => results()?.hits ?? [];
  // Titles are the tab's to match (it holds every conversation); only those none of whose
  // messages matched, so a conversation is listed once: a renamed one, an imported title.
  const titles = createMemo<Conversation[]>(() => {
    const answer = results();
    const text = query();
    if (!answer || !text.trim()) return [];
    const found = new Set(answer.conversationIds);
    return Object.values(state.conversations)
      .filter((conversation) => !found.has(conversation.id) && matchesTitle(conversation.title, text))
      .sort((first, second) => second.updatedAt - first.updatedAt)
      .slice(0, TITLES_SHOWN);
  });
  const count = () => hits().length + titles().length;
  const open = (index: number) => {
    const hit = hits()[index];
    const conversation = titles()[index - hits().length];
    if (hit) navigate(messagePath(hit.conversationId, hit.messageId));
    else if (conversation) navigate(conversationPath(conversation.id));
    else return;
    props.onOpened?.();
    props.onClose();
  };
  const move = (step: number) => {
    const total = count();
    if (total === 0) return;
    const next = (selected() + step + total) % total;
    setSelected(next);
    list?.children[next]?.scrollIntoView({ block: 'nearest' });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') move(1);
    else if (event.key === 'ArrowUp') move(-1);
    else if (event.key === 'Enter' && !isComposing(event)) open(selected());
    else if (event.key === 'Escape') props.onClose();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  const status = () => {
    const answer = results();
    if (!query().trim()) return 'Type to search every conversation: its messages and its title.';
    if (!answer) return '';
    const progress = answer.indexing;
    const indexing = !progress
      ? ''
      : progress.total > 0
        ? ` Still indexing your history (${progress.indexed.toLocaleString()} of ${progress.total.toLocaleString()} messages).`
        : ' Still indexing your history.';
    if (count() === 0) return `Nothing found.${indexing}`;
    const matching = answer.conversationIds.length + titles().length;
    return `${matching.toLocaleString()} ${matching === 1 ? 'conversation matches' : 'conversations match'}.${indexing}`;
  };

  return (
    <div class="search-backdrop" onClick={(event) => event.target === event.currentTarget && props.onClose()}>
      <div class="search-palette" role="dialog" aria-modal="true" aria-label="Search conversations" onKeyDown={onKeyDown}>
        <input
          ref={input}
          class="search-input"
          type="search"
          role="combobox"
          aria-expanded={count() > 0}
          aria-controls="search-results"
          aria-activedescendant={count() > 0 ? `search-result-${selected()}` : undefined}
          aria-autocomplete="list"
          aria-label="Search every message"
          placeholder="Search every message…"
          autocomplete="off"
          spellcheck={false}
          data-testid="search-input"
          value={query()}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        <p class="search-status" role="status">
          {status()}
        </p>
        <Show when={count() > 0}>
          <ul ref={list} id="search-results" class="search-results" role="listbox" aria-label="Results">
            <For each={hits()}>
              {(hit, index) => (
                <SearchResult
                  hit={hit}
                  id={`search-result-${index()}`}
                  selected={selected() === index()}
                  onSelect={() => setSelected(index())}
                  onOpen={() => open(index())}
                />
              )}
            </For>
            <For each={titles()}>
              {(conversation, index) => {
                const position = () => hits().length + index();
                return (
                  <TitleResult
                    conversation={conversation}
                    id={`search-result-${position()}`}
                    selected={selected() === position()}
                    onSelect={() => setSelected(position())}
                    onOpen={() => open(position())}
                  />
                );
              }}
            </For>
          </ul>
        </Show>
        <p class="search-keys" aria-hidden="true">
          <kbd>↑</kbd>
          <kbd>↓</kbd> to move · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close
        </p>
      </div>
    </div>
  );
}
