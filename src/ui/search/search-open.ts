/**
 * Whether the search palette is open. Tiny and loaded with the app: the button and Ctrl/Cmd+K
 * need it at once, while the palette's own code loads only when it first opens.
 */
import { createSignal } from 'solid-js';

const [open, setOpen] = createSignal(false);

export const searchOpen = open;

export function openSearch(): void {
  setOpen(true);
}

export function closeSearch(): void {
  setOpen(false);
}

/** Ctrl+K (Cmd+K on a Mac) opens the palette from anywhere, even while typing in the composer. */
export function isSearchShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k';
}
