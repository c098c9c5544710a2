/** PouchDB's `indexeddb` adapter ships no types of its own: it is a plugin like any other. */
declare module 'pouchdb-adapter-indexeddb' {
  const plugin: PouchDB.Plugin;
  export default plugin;
}
