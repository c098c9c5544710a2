/// <reference lib="webworker" />
/**
 * The SharedWorker entry: starts the one core of this build and gives every connecting tab its
 * own TabSession on its port. Nothing else lives here.
 */
import * as Comlink from 'comlink';
import { coreLockName } from '../shared/locks';
import { Core } from './core';
import { holdCoreLock } from './lifecycle/core-liveness';
import { TabSession } from './session/tab-session';

declare const self: SharedWorkerGlobalScope;

// First, before any tab can attach: tabs learn that this worker died when they get this lock.
holdCoreLock(navigator.locks, coreLockName(__BUILD_ID__));

const core = Core.start({ buildId: __BUILD_ID__, locks: navigator.locks, announceBuild: true });
// Benchmark builds only (dead code otherwise): bench/search.ts weighs the search index through CDP.
if (__BENCH__) (globalThis as { __parleyCore?: Promise<Core> }).__parleyCore = core;

// Registered synchronously: a `connect` that arrives before this line runs is lost.
self.addEventListener('connect', (event) => {
  const port = event.ports[0];
  Comlink.expose(new TabSession(core), port);
  port.start();
});

// The platform saying the network is back is a hint, not proof: probe before saying so.
self.addEventListener('online', () => void core.then((started) => started.connectivity.check()));
