/// <reference lib="webworker" />
/**
 * Entry for browsers without SharedWorker: the core of the leader tab (see src/client/election).
 * The leader hands it one port per tab — its own, and one for each follower its relay links —
 * and each gets its own TabSession, as a SharedWorker's `connect` would. Nothing else lives here.
 */
import * as Comlink from 'comlink';
import { coreLockName } from '../shared/locks';
import { isConnectMessage } from '../shared/worker-connect';
import { Core } from './core';
import { holdCoreLock } from './lifecycle/core-liveness';
import { TabSession } from './session/tab-session';

declare const self: DedicatedWorkerGlobalScope;

// First, before any tab can attach: the leader tab learns that this worker died when it gets this lock.
holdCoreLock(navigator.locks, coreLockName(__BUILD_ID__));

const core = Core.start({ buildId: __BUILD_ID__, locks: navigator.locks, announceBuild: true });

// Registered synchronously: the leader's first port is posted before this module has run.
self.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (!isConnectMessage(event.data) || !port) return;
  Comlink.expose(new TabSession(core), port);
  port.start();
});

// The platform saying the network is back is a hint, not proof: probe before saying so.
self.addEventListener('online', () => void core.then((started) => started.connectivity.check()));
