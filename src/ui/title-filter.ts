/** Whether a conversation's title holds what was typed: case- and accent-insensitive (the sidebar's filter, the palette's titles). */
export function matchesTitle(title: string, typed: string): boolean {
  const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return fold(title).includes(fold(typed.trim()));
}
