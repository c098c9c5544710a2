/**
 * Evaluated in a worker (through CDP): a 5 ms interval timer that records its worst delay in
 * `globalThis.__benchLag.worst` — how long the worker's event loop was held at once, which is
 * what a streaming reply there would wait — and every delay over 20 ms in `.long`.
 */
export const LAG_MONITOR = `(() => {
  const state = (globalThis.__benchLag = { worst: 0, last: performance.now(), long: [] });
  state.timer = setInterval(() => {
    const now = performance.now();
    const lag = now - state.last - 5;
    if (lag > 20) state.long.push([Math.round(now), Math.round(lag)]);
    state.worst = Math.max(state.worst, lag);
    state.last = now;
  }, 5);
  return true;
})()`;
