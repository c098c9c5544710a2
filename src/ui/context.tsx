import { createContext, useContext, type JSX } from 'solid-js';
import type { AppStore } from './state/app-store';

const StoreContext = createContext<AppStore>();

/** Provide the tab's store (tests provide one built on a fake client). */
export function StoreProvider(props: { store: AppStore; children: JSX.Element }): JSX.Element {
  return <StoreContext.Provider value={props.store}>{props.children}</StoreContext.Provider>;
}

/** The tab's store; throws outside a `StoreProvider`. */
export function useStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore() needs a <StoreProvider>');
  return store;
}
