/**
 * PouchDB as the core uses it in the browser: the `indexeddb` adapter for the local mirror, HTTP
 * for the server, and replication between them. Loaded only once sync is on (a chunk of its own).
 */
import PouchDB from 'pouchdb-core';
import IndexedDbAdapter from 'pouchdb-adapter-indexeddb';
import HttpAdapter from 'pouchdb-adapter-http';
import Replication from 'pouchdb-replication';
import type { Mirror, PouchFactory } from './mirror';

PouchDB.plugin(IndexedDbAdapter).plugin(HttpAdapter).plugin(Replication);

export const browserPouch: PouchFactory = {
  mirror: (name) => new PouchDB(name, { adapter: 'indexeddb' }) as Mirror,
  // `skip_setup`: a missing database is reported, never created with the user's login.
  server: (url, login) => new PouchDB(url, { skip_setup: true, auth: login }) as Mirror,
};
