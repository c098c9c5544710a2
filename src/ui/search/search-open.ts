/**
 * Whether the search palette is open. Tiny and loaded with the app: the button and Ctrl/Cmd+K
 * need it at once, while the palette's own code loads only when it first opens.
 */
import { createSignal } from 'solid-js';
import { APPLE_KEYS, isComposing } from '../keys';

const [open, setOpen] = createSignal(false);

export const searchOpen = open;

export function openSearch(): void {
  setOpen(true);
}

export function closeSearch(): void {
  setOpen(false);
}

/**
 * Ctrl+K (⌘K on Apple keyboards, where Ctrl+K edits text) opens the palette from anywhere, even
 * while typing in the composer — but not while text is being composed, nor when something on
 * the page already took the key.
 */
export function isSearchShortcut(event: KeyboardEvent, apple = APPLE_KEYS): boolean {
  if (isComposing(event) || event.defaultPrevented) return false;
  const modifier = apple ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  return modifier && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k';
}
