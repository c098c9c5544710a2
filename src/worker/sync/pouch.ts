/**
 * PouchDB as the core uses it: the `indexeddb` adapter for the local mirror, HTTP for the
 * server, and replication between them. Loaded only once sync is turned on (a chunk of its own).
 */
import PouchDB from 'pouchdb-core';
import IndexedDbAdapter from 'pouchdb-adapter-indexeddb';
import HttpAdapter from 'pouchdb-adapter-http';
import Replication from 'pouchdb-replication';

PouchDB.plugin(IndexedDbAdapter).plugin(HttpAdapter).plugin(Replication);

export default PouchDB;
