import { For, Show, type JSX } from 'solid-js';
import type { Conversation, SearchHit } from '../../shared/protocol';
import { snippetParts } from './snippet-parts';

const DATE = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

interface Row {
  id: string;
  selected: boolean;
  onSelect: () => void;
  onOpen: () => void;
}

interface Props extends Row {
  hit: SearchHit;
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

/** A conversation whose title matches and none of whose messages do (one renamed, say): opens it. */
export function TitleResult(props: Row & { conversation: Conversation }): JSX.Element {
  return (
    <li
      id={props.id}
      role="option"
      class="search-result"
      classList={{ selected: props.selected }}
      aria-selected={props.selected}
      data-testid="search-title-result"
      data-conversation-id={props.conversation.id}
      onMouseMove={() => !props.selected && props.onSelect()}
      onClick={() => props.onOpen()}
    >
      <div class="search-result-head">
        <span class="search-result-title">{props.conversation.title}</span>
        <time class="search-result-date" dateTime={new Date(props.conversation.updatedAt).toISOString()}>
          {DATE.format(props.conversation.updatedAt)}
        </time>
      </div>
      <p class="search-result-snippet">Title matches</p>
    </li>
  );
}
