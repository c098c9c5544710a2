import { For, Show, type JSX } from 'solid-js';
import type { SearchHit } from '../../shared/protocol';
import { snippetParts } from './snippet-parts';

const DATE = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

interface Props {
  hit: SearchHit;
  id: string;
  selected: boolean;
  onSelect: () => void;
  onOpen: () => void;
}

/** One hit: the conversation's title and the message's date over the snippet, matches marked. */
export function SearchResult(props: Props): JSX.Element {
  return (
    <li
      id={props.id}
      role="option"
      class="search-result"
      classList={{ selected: props.selected }}
      aria-selected={props.selected}
      data-testid="search-result"
      data-conversation-id={props.hit.conversationId}
      data-message-id={props.hit.messageId}
      onMouseMove={() => !props.selected && props.onSelect()}
      onClick={() => props.onOpen()}
    >
      <div class="search-result-head">
        <span class="search-result-title">{props.hit.title}</span>
        <time class="search-result-date" dateTime={new Date(props.hit.createdAt).toISOString()}>
          {DATE.format(props.hit.createdAt)}
        </time>
      </div>
      <p class="search-result-snippet">
        <Show when={props.hit.role === 'user'}>
          <span class="search-result-role">You: </span>
        </Show>
        <For each={snippetParts(props.hit.snippet, props.hit.matches)}>
          {(part) => (part.marked ? <mark>{part.text}</mark> : part.text)}
        </For>
      </p>
    </li>
  );
}
