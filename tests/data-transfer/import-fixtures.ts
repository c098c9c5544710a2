/** The import fixtures (tests/fixtures/imports/) as the files a person would choose, and a store to import them into. */
import { readFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import { resolve } from 'node:path';
import type { CoreEvent, ImportPhase } from '../../src/shared/protocol';
import { DataTransfer } from '../../src/worker/data-transfer/data-transfer';
import { EventBus } from '../../src/worker/session/event-bus';
import { Repository } from '../../src/worker/storage/repository';
import { headerScaler } from '../fixtures/images';
import { uniqueDatabaseName } from '../storage/helpers';

const FIXTURES = resolve(__dirname, '../fixtures/imports');

export function fixture(name: string, as = name): File {
  return new File([readFileSync(resolve(FIXTURES, name))], as);
}

export function fixtureText(name: string): string {
  return readFileSync(resolve(FIXTURES, name), 'utf8');
}

export interface ImportStore {
  name: string;
  repository: Repository;
  transfer: DataTransfer;
  events: CoreEvent[];
  progress: Array<{ phase: ImportPhase; done: number; total: number }>;
  imported: string[];
  close(): void;
}

export async function openImportStore(): Promise<ImportStore> {
  const name = uniqueDatabaseName();
  const repository = await Repository.open(name);
  const bus = new EventBus();
  const events: CoreEvent[] = [];
  bus.events$.subscribe(({ event }) => events.push(event));
  const imported: string[] = [];
  // Node has no canvas: images are fitted by their PNG header (tests/fixtures/images.ts).
  const transfer = new DataTransfer(repository, bus, { onImported: (ids) => imported.push(...ids), imageScaler: headerScaler });
  return { name, repository, transfer, events, progress: [], imported, close: () => repository.close() };
}

export function importInto(store: ImportStore, files: File[]) {
  return store.transfer.importFiles(files, (phase, done, total) => store.progress.push({ phase, done, total }));
}

/** A fresh store per call, each closed after its test (call at the top of a test file). */
export function importStores(): () => Promise<ImportStore> {
  const stores: ImportStore[] = [];
  afterEach(() => stores.splice(0).forEach((store) => store.close()));
  return async () => {
    const store = await openImportStore();
    stores.push(store);
    return store;
  };
}
