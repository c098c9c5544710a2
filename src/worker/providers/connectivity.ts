import type { EventBus } from '../session/event-bus';

/**
 * The core's belief about whether providers can be reached, from the requests it makes. While
 * offline it re-probes now and then, so the tabs' indicator clears on its own.
 */
export class Connectivity {
  readonly #bus: EventBus;
  readonly #probeIntervalMs: number;
  #offline = false;
  #probe: (() => Promise<boolean>) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(bus: EventBus, options: { probeIntervalMs?: number } = {}) {
    this.#bus = bus;
    this.#probeIntervalMs = options.probeIntervalMs ?? 10_000;
  }

  get offline(): boolean {
    return this.#offline;
  }

  /** How to check again while offline (the active provider's model list). */
  setProbe(probe: () => Promise<boolean>): void {
    this.#probe = probe;
  }

  /** A request reached a provider (true) or failed to connect (false). */
  report(reachable: boolean): void {
    const offline = !reachable;
    if (offline === this.#offline) return;
    this.#offline = offline;
    this.#bus.broadcast({ type: 'connectivity-change', offline });
    clearTimeout(this.#timer);
    if (offline) this.#scheduleProbe();
  }

  #checking: Promise<void> | undefined;

  /** Probe now (on start, when a tab opens, when the platform says the network is back). */
  check(): Promise<void> {
    const probe = this.#probe;
    if (!probe) return Promise.resolve();
    // Tabs opening together share one probe.
    this.#checking ??= probe()
      .then((reachable) => this.report(reachable))
      .finally(() => (this.#checking = undefined));
    return this.#checking;
  }

  #scheduleProbe(): void {
    this.#timer = setTimeout(async () => {
      await this.check();
      if (this.#offline) this.#scheduleProbe();
    }, this.#probeIntervalMs);
  }
}
