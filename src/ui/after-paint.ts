/**
 * Resolves once the next frame has been painted (at once where nothing paints, as in tests):
 * for work the first screen does not need, so that screen is not kept waiting for it.
 */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(resolve));
    else setTimeout(resolve);
  });
}
