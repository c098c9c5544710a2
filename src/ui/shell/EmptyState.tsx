import { Show, type JSX } from 'solid-js';
import { useStore } from '../context';
import { navigate } from '../router';

/** The first screen: what Parley is and the one next step. */
export function EmptyState(props: { onNewChat: () => void; onMenu: () => void }): JSX.Element {
  const { state } = useStore();
  const hasProvider = () => state.providers.length > 0;
  return (
    <section class="empty-state" data-testid="empty-state">
      <button class="button ghost menu-button" aria-label="Open conversations" onClick={() => props.onMenu()}>
        ☰
      </button>
      <div class="empty-state-body">
        <h1>Parley</h1>
        <p class="empty-state-lead">
          A private AI chat that runs entirely in your browser. It talks to OpenAI, OpenRouter, Anthropic, Groq, a local Ollama or
          any OpenAI-compatible server with your own key. History stays on this device and opens offline; every tab shows the same
          replies as they stream.
        </p>
        <Show
          when={hasProvider()}
          fallback={
            <>
              <p>To begin, connect a provider. Your key is stored only in this browser and sent only to that provider.</p>
              <button class="button primary" data-testid="empty-add-provider" onClick={() => navigate('/settings')}>
                Add a provider
              </button>
            </>
          }
        >
          <button class="button primary" onClick={() => props.onNewChat()}>
            Start a new chat
          </button>
        </Show>
      </div>
    </section>
  );
}
