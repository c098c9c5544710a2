/**
 * Devices for sync tests: cores on their own databases, one CouchDB-compatible server that can be
 * cut and restored, and a core started again on a device's database. Everything a test makes is
 * turned off and closed after it.
 */
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import type { SyncSetup } from '../../src/shared/protocol';
import { Core, type CoreOptions } from '../../src/worker/core';
import type { SyncTuning } from '../../src/worker/sync/sync-service';
import { FAST_TIMINGS, makeHarness, type Harness } from '../session/harness';
import { nodePouch } from '../fixtures/node-pouch';
import { startSyncServer, SYNC_LOGIN, type SyncServer } from '../fixtures/sync-server';

export const SYNC_TUNING: SyncTuning = { iterations: 1000, probeMs: 200, retryMs: 100 };

export interface SyncDevices {
  server(): SyncServer;
  /** A core on a fresh database (or on `databaseName`), with one provider, sync off. */
  device(databaseName?: string, options?: Partial<CoreOptions>): Promise<Harness>;
  /** A new database on the server, and how to reach it. */
  setup(): Promise<SyncSetup>;
  turnOn(harness: Harness, details: SyncSetup): Promise<void>;
  idle(core: Core): Promise<void>;
  /** The device's core closed as a core that goes away: sync stays on for the next one. */
  close(harness: Harness): Promise<void>;
  /**
   * The device's core closed and a new one started on its database, as after a reload: no
   * provider added, sync resuming on its own. `loadMs`: how long sync's code takes to load.
   */
  restart(harness: Harness, options?: { loadMs?: number; tuning?: SyncTuning }): Promise<Core>;
}

export function useSyncDevices(): SyncDevices {
  let server: SyncServer;
  const devices: Harness[] = [];
  const cores: Core[] = [];

  beforeAll(async () => {
    server = await startSyncServer();
  }, 30_000);
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    for (const device of devices.splice(0)) {
      await device.core.sync.disable();
      await device.close();
    }
    for (const core of cores.splice(0)) {
      await core.sync.disable();
      core.repository.close();
    }
  });

  async function close(harness: Harness): Promise<void> {
    devices.splice(devices.indexOf(harness), 1);
    await harness.close();
  }

  return {
    server: () => server,
    async device(databaseName, options = {}) {
      const harness = await makeHarness({
        ...options,
        databaseName,
        syncPouch: async () => nodePouch,
        syncTuning: SYNC_TUNING,
      });
      devices.push(harness);
      return harness;
    },
    async setup() {
      return { url: await server.createDatabase(), ...SYNC_LOGIN, passphrase: 'correct horse battery staple' };
    },
    async turnOn(harness, details) {
      const enabled = await harness.core.sync.enable(details);
      if (!enabled.ok) throw new Error(enabled.error.message);
    },
    async idle(core) {
      await vi.waitFor(async () => expect((await core.sync.status()).state).toBe('idle'), { timeout: 15_000, interval: 50 });
    },
    close,
    async restart(harness, { loadMs = 0, tuning = SYNC_TUNING } = {}) {
      await close(harness);
      const core = await Core.start({
        buildId: 'test',
        timings: FAST_TIMINGS,
        databaseName: harness.databaseName,
        indexHistory: false,
        syncPouch: () => new Promise((loaded) => setTimeout(() => loaded(nodePouch), loadMs)),
        syncTuning: tuning,
      });
      cores.push(core);
      return core;
    },
  };
}
