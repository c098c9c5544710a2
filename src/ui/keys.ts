/**
 * Whether a key belongs to text still being composed (an input method: Japanese, Chinese,
 * accents on some layouts). Enter there confirms the text; it must not send or pick. Safari
 * reports that Enter with `isComposing` false and `keyCode` 229, hence both.
 */
export function isComposing(event: KeyboardEvent): boolean {
  return event.isComposing || event.keyCode === 229;
}

/** Apple keyboards use ⌘ where others use Ctrl (Ctrl+K is "delete to the line's end" there). */
export const APPLE_KEYS =
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad|iPod/.test(navigator.platform || navigator.userAgent);
