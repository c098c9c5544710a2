/** How long a live core takes at most to answer a call; a dead one never does. */
const PING_TIMEOUT_MS = 2000;

interface Pingable {
  getSettings(): Promise<unknown>;
}

function answers(core: Pingable): Promise<boolean> {
  return Promise.race([
    core.getSettings().then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PING_TIMEOUT_MS)),
  ]);
}

/**
 * Call `onGone` once the core this tab talks to has died without saying so (its process
 * crashed — Chromium may run the SharedWorker in the same renderer as one of the tabs). A dead
 * port never errors: calls into it simply never settle, and the tab would show a reply
 * "writing" forever.
 *
 * 1. Ask for the core's lock; it is granted only when no core holds it.
 * 2. Release it at once (a new core must be able to take it), and ping the core: a lock granted
 *    while the core is alive (it had not taken the lock yet) is not a death.
 * 3. No answer: the core is gone, `onGone` runs. An answer: wait on the lock again.
 */
export function watchCoreLiveness(core: Pingable, lockName: string, onGone: () => void): void {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return;
  const watch = (): void => {
    let granted = false;
    void locks
      .request(lockName, () => {
        granted = true;
      })
      .then(async () => {
        if (!granted) return;
        if (await answers(core)) setTimeout(watch, PING_TIMEOUT_MS);
        else onGone();
      })
      .catch(() => undefined);
  };
  watch();
}
