/**
 * The sync part of bench/README.md (issue 17): a first sync of a long history to a fresh device.
 * No target was set for it; the figures are recorded.
 */
import type { SyncResult } from '../sync';
import { count, MB, ms, table } from './format';
import type { Row } from './report';

export function syncRows(sync: SyncResult): Row[] {
  const run = sync.median;
  return [
    {
      id: 'sync-upload',
      measurement: '8. Sync',
      figure: `turn sync on with ${count(sync.seed.messages)} messages → all on the server`,
      result: ms(sync.uploadMs),
      target: '—',
    },
    {
      id: 'sync-first',
      measurement: '8. Sync',
      figure: `a fresh device: turn sync on → all ${count(sync.seed.messages)} messages here (of which checking the server and deriving keys)`,
      result: `${ms(run.firstSyncMs)} (${ms(run.connectMs)})`,
      target: '—',
    },
    {
      id: 'sync-worker-task',
      measurement: '8. Sync',
      figure: "longest the fresh device's worker was busy at once meanwhile (what a streaming reply waits)",
      result: ms(run.longestWorkerTaskMs),
      target: '—',
    },
    {
      id: 'sync-storage',
      measurement: '8. Sync',
      figure: "the fresh device's storage afterwards: the history and the mirror",
      result: MB(run.storageBytes),
      target: '—',
    },
  ];
}

export function syncDetails(sync: SyncResult): string {
  const rows = sync.runs.map((run, index) => [
    String(index + 1),
    ms(run.firstSyncMs),
    ms(run.connectMs),
    ms(run.longestWorkerTaskMs),
    MB(run.storageBytes),
  ]);
  return [
    '\n### 8. Sync: a first sync to a fresh device\n',
    `Device A: ${count(sync.seed.conversations)} conversations, ${count(sync.seed.messages)} messages of chat-like text ` +
      `(${(sync.seed.characters / 1e6).toFixed(1)} M characters), uploaded in ${ms(sync.uploadMs)} to pouchdb-server on loopback ` +
      `(${count(sync.server.documents)} documents, ${MB(sync.server.bytes)} as the server reports it). Each run, a new browser profile turns sync on:`,
    '',
    table(['run', 'all messages here', 'connect (server, PBKDF2 600k)', 'longest worker task', 'storage'], rows),
    '',
    'Loopback has no latency: over the internet, replication adds a round trip per batch of 200 documents.',
  ].join('\n');
}
