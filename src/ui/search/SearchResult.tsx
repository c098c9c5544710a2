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

/** One option of the palette's list: a title and a date over a line of text. */
function ResultRow(
  props: Row & { testId: string; conversationId: string; messageId?: string; title: string; at: number; children: JSX.Element },
): JSX.Element {
  return (
    <li
      id={props.id}
      role="option"
      class="search-result"
      classList={{ selected: props.selected }}
      aria-selected={props.selected}
      data-testid={props.testId}
      data-conversation-id={props.conversationId}
      data-message-id={props.messageId}
      onMouseMove={() => !props.selected && props.onSelect()}
      onClick={() => props.onOpen()}
    >
      <div class="search-result-head">
        <span class="search-result-title">{props.title}</span>
        <time class="search-result-date" dateTime={new Date(props.at).toISOString()}>
          {DATE.format(props.at)}
        </time>
      </div>
      <p class="search-result-snippet">{props.children}</p>
    </li>
  );
}

/** One hit: the conversation's title and the message's date over the snippet, matches marked. */
export function SearchResult(props: Row & { hit: SearchHit }): JSX.Element {
  return (
    <ResultRow
      {...props}
      testId="search-result"
      conversationId={props.hit.conversationId}
      messageId={props.hit.messageId}
      title={props.hit.title}
      at={props.hit.createdAt}
    >
      <Show when={props.hit.role === 'user'}>
        <span class="search-result-role">You: </span>
      </Show>
      <For each={snippetParts(props.hit.snippet, props.hit.matches)}>
        {(part) => (part.marked ? <mark>{part.text}</mark> : part.text)}
      </For>
    </ResultRow>
  );
}

/** A conversation whose title matches and none of whose messages do (one renamed, say): opens it. */
export function TitleResult(props: Row & { conversation: Conversation }): JSX.Element {
  return (
    <ResultRow
      {...props}
      testId="search-title-result"
      conversationId={props.conversation.id}
      title={props.conversation.title}
      at={props.conversation.updatedAt}
    >
      Title matches
    </ResultRow>
  );
}
