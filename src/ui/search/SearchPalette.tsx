import { createEffect, createSignal, For, on, onCleanup, onMount, Show, type JSX } from 'solid-js';
import type { SearchResults } from '../../shared/protocol';
import { useStore } from '../context';
import { messagePath, navigate } from '../router';
import { SearchResult } from './SearchResult';
import './search.css';

/** Keystrokes closer together than this make one query: the core answers what was typed, not each letter. */
const TYPING_PAUSE_MS = 60;
/** While the core is still indexing (after a start or an import), the same query is asked again this often. */
const INDEXING_REFRESH_MS = 750;
const RESULTS_SHOWN = 30;

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
  const { client } = useStore();
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
        if (!again || selected() >= answer.hits.length) setSelected(0);
        if (answer.indexing) timer = setTimeout(() => setRefresh((count) => count + 1), INDEXING_REFRESH_MS);
      }, TYPING_PAUSE_MS);
      onCleanup(() => clearTimeout(timer));
    }),
  );

  const hits = () => results()?.hits ?? [];
  const open = (index: number) => {
    const hit = hits()[index];
    if (!hit) return;
    navigate(messagePath(hit.conversationId, hit.messageId));
    props.onOpened?.();
    props.onClose();
  };
  const move = (step: number) => {
    const count = hits().length;
    if (count === 0) return;
    const next = (selected() + step + count) % count;
    setSelected(next);
    list?.children[next]?.scrollIntoView({ block: 'nearest' });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') move(1);
    else if (event.key === 'ArrowUp') move(-1);
    else if (event.key === 'Enter') open(selected());
    else if (event.key === 'Escape') props.onClose();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  const status = () => {
    const answer = results();
    if (!query().trim()) return 'Type to search every message of every conversation.';
    if (!answer) return '';
    const progress = answer.indexing;
    const indexing = !progress
      ? ''
      : progress.total > 0
        ? ` Still indexing your history (${progress.indexed.toLocaleString()} of ${progress.total.toLocaleString()} messages).`
        : ' Still indexing your history.';
    if (answer.hits.length === 0) return `Nothing found.${indexing}`;
    const count = answer.conversationIds.length;
    return `${count.toLocaleString()} ${count === 1 ? 'conversation matches' : 'conversations match'}.${indexing}`;
  };

  return (
    <div class="search-backdrop" onClick={(event) => event.target === event.currentTarget && props.onClose()}>
      <div class="search-palette" role="dialog" aria-modal="true" aria-label="Search conversations" onKeyDown={onKeyDown}>
        <input
          ref={input}
          class="search-input"
          type="search"
          role="combobox"
          aria-expanded={hits().length > 0}
          aria-controls="search-results"
          aria-activedescendant={hits().length > 0 ? `search-result-${selected()}` : undefined}
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
        <Show when={hits().length > 0}>
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
