/**
 * PouchDB's packages, typed only as far as Parley uses them (the calls are typed by `Mirror`).
 * The community typings were left out on purpose: they pull the DOM library into every program
 * that sees them, the worker's and the tests' included.
 */
interface PouchConstructor {
  new (name: string, options?: Record<string, unknown>): unknown;
  plugin(plugin: unknown): PouchConstructor;
}

declare module 'pouchdb-core' {
  const PouchDB: PouchConstructor;
  export default PouchDB;
}

declare module 'pouchdb-adapter-indexeddb' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-adapter-http' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-replication' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}
