/// <reference lib="webworker" />
/**
 * Entry for browsers without SharedWorker: the same core, serving only the tab that started it.
 */
import * as Comlink from 'comlink';
import { Core } from './core';
import { TabSession } from './session/tab-session';

Comlink.expose(new TabSession(Core.start({ buildId: __BUILD_ID__, locks: navigator.locks, announceBuild: true })));
