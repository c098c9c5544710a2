import { createEffect, createSignal, lazy, Match, on, onCleanup, Show, Suspense, Switch, type JSX } from 'solid-js';
import { afterNextPaint } from '../after-paint';
import { useStore } from '../context';
import { ChatView } from '../chat/ChatView';
import { createChatActions, createConversations } from '../primitives';
import { conversationPath, navigate, route } from '../router';
import { closeSearch, isSearchShortcut, openSearch, searchOpen } from '../search/search-open';
import { Sidebar } from '../sidebar/Sidebar';
import { EmptyState } from './EmptyState';
import { applyUpdate, requestPersistentStorage, updateAvailable } from './pwa';
import './app.css';

const SettingsPage = lazy(() => import('../settings/SettingsPage').then((module) => ({ default: module.SettingsPage })));
// Loaded the first time search opens: nothing of the palette is in the first load.
const SearchPalette = lazy(() => import('../search/SearchPalette').then((module) => ({ default: module.SearchPalette })));

/** Follow the chosen theme; `system` leaves it to the media query. */
function applyTheme(theme: string): void {
  const root = document.documentElement;
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
}

/** The shell: sidebar (a drawer on narrow screens), the current route, and app-wide notices. */
export function App(): JSX.Element {
  const { state } = useStore();
  const conversations = createConversations();
  const actions = createChatActions();
  const [drawerOpen, setDrawerOpen] = createSignal(false);
  const [notice, setNotice] = createSignal<string>();

  createEffect(() => applyTheme(state.settings.theme));

  // The drawer (narrow screens) shows the list to choose from: whatever is chosen, it closes.
  createEffect(on(route, () => setDrawerOpen(false), { defer: true }));
  /** Closed by the person (Esc, the backdrop): focus goes back to the button that opened it. */
  const dismissDrawer = () => {
    setDrawerOpen(false);
    document.querySelector<HTMLElement>('.app-main .menu-button')?.focus();
  };

  // `/` opens the most recent conversation when there is one, once the list is painted: at a
  // cold start the list comes first, and the conversation's view right after.
  createEffect(() => {
    const current = route();
    if (current.name !== 'home' || !state.ready || conversations().length === 0) return;
    const newest = conversations()[0].id;
    void afterNextPaint().then(() => {
      if (route().name === 'home') navigate(conversationPath(newest), { replace: true });
    });
  });

  createEffect(() => {
    if (conversations().length > 0) requestPersistentStorage();
  });

  const onKeyDown = (event: KeyboardEvent) => {
    // Not over a modal dialog (the image viewer): the palette would open behind it.
    if (isSearchShortcut(event) && !document.querySelector('dialog[open]')) {
      // The browser's own Ctrl+K (its search bar) would take the keys from the palette.
      event.preventDefault();
      openSearch();
      return;
    }
    // An Esc that closed something else (the palette, a rename) is not for the drawer.
    if (event.key === 'Escape' && drawerOpen() && !searchOpen() && !event.defaultPrevented) dismissDrawer();
  };
  document.addEventListener('keydown', onKeyDown);
  onCleanup(() => document.removeEventListener('keydown', onKeyDown));

  const newChat = async () => {
    const created = await actions.create();
    if (created.ok) navigate(conversationPath(created.value.id));
    else setNotice(created.error.message);
  };

  return (
    <div class="app">
      <Show when={state.outdated}>
        <div class="banner" role="alert" data-testid="core-outdated">
          <span>{state.outdated}</span>
          <button class="button small primary" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      </Show>
      <Show when={updateAvailable()}>
        <div class="banner" role="status" data-testid="update-available">
          <span>A new version of Parley is ready.</span>
          <button class="button small primary" onClick={applyUpdate}>
            Reload to update
          </button>
        </div>
      </Show>
      <Show when={state.offline}>
        <div class="offline-indicator" data-testid="offline-indicator" role="status">
          Offline — your history is all here; new messages wait until the provider can be reached.
        </div>
      </Show>
      <Show when={notice()}>
        <div class="banner banner-error" role="alert">
          <span>{notice()}</span>
          <button class="button small ghost" aria-label="Dismiss" onClick={() => setNotice(undefined)}>
            ✕
          </button>
        </div>
      </Show>
      <div class="app-body">
        <Sidebar open={drawerOpen()} onClose={() => setDrawerOpen(false)} onError={setNotice} />
        <Show when={drawerOpen()}>
          <div class="drawer-backdrop" aria-hidden="true" onClick={dismissDrawer} />
        </Show>
        <main class="app-main">
          <Switch>
            <Match when={route().name === 'settings'}>
              <div class="mobile-bar">
                <button
                  class="button ghost menu-button"
                  aria-label="Open conversations"
                  data-testid="open-sidebar"
                  onClick={() => setDrawerOpen(true)}
                >
                  ☰
                </button>
                <span>Parley</span>
              </div>
              <Suspense fallback={<p class="app-loading">Loading settings…</p>}>
                <SettingsPage />
              </Suspense>
            </Match>
            <Match when={route().name === 'conversation' && route()}>
              {(current) => {
                const target = () => current() as { conversationId: string; messageId?: string };
                return (
                  <ChatView
                    conversationId={target().conversationId}
                    messageId={target().messageId}
                    onMenu={() => setDrawerOpen(true)}
                  />
                );
              }}
            </Match>
            <Match when={route().name === 'home'}>
              <Show when={state.ready} fallback={<p class="app-loading">Loading…</p>}>
                {/* With conversations, `/` is on its way to the newest: nothing to show for a frame. */}
                <Show when={conversations().length === 0}>
                  <EmptyState onNewChat={newChat} onMenu={() => setDrawerOpen(true)} />
                </Show>
              </Show>
            </Match>
          </Switch>
        </main>
      </div>
      <Show when={searchOpen()}>
        <Suspense>
          <SearchPalette onClose={closeSearch} onOpened={() => setDrawerOpen(false)} />
        </Suspense>
      </Show>
    </div>
  );
}
