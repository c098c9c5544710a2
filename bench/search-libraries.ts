/**
 * Which full-text search library Parley's core uses, decided by measurement (issue 14):
 * MiniSearch, FlexSearch and Orama indexing the same chat-like history (bench/lib/corpus.ts),
 * one message per document, in Node on this machine. For each: build time, the heap the index
 * holds (after a full GC, the texts themselves excluded), query time (prefix, two words, a typo),
 * and the cost of an incremental add, replace and remove.
 *
 *   node --expose-gc --import tsx bench/search-libraries.ts [--messages=50000]
 *
 * Node 20 runs without pointer compression, so heap figures are larger than in Chromium (which
 * halves most pointers); the ratios between the libraries are what this compares.
 */
import { create, insertMultiple, remove as oramaRemove, insert as oramaInsert, search as oramaSearch } from '@orama/orama';
import FlexSearch from 'flexsearch';
import MiniSearch from 'minisearch';
import { makeCorpus } from './lib/corpus';

interface Candidate {
  name: string;
  /** Index every document; returns the handle the other steps use. */
  build(documents: Document[]): Promise<unknown> | unknown;
  query(index: unknown, text: string, typo: boolean): Promise<number> | number;
  add(index: unknown, document: Document): Promise<void> | void;
  replace(index: unknown, before: Document, after: Document): Promise<void> | void;
  remove(index: unknown, document: Document): Promise<void> | void;
  notes: string;
}

interface Document {
  id: number;
  key: string;
  content: string;
}

const option = (name: string) => process.argv.find((argument) => argument.startsWith(`--${name}=`))?.split('=')[1];
const COUNT = Number(option('messages') ?? 50_000);
const LIMIT = 20;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc --import tsx bench/search-libraries.ts');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const miniSearch: Candidate = {
  name: 'MiniSearch 7.2.0',
  notes: 'prefix and fuzzy (edit distance) on a radix tree; discard/replace; BM25+',
  build(documents) {
    const index = new MiniSearch<Document>({ fields: ['content'], idField: 'key', storeFields: [] });
    index.addAll(documents);
    return index;
  },
  query(index, text, typo) {
    return (index as MiniSearch<Document>)
      .search(text, {
        prefix: (term) => term.length >= 2,
        fuzzy: typo ? 0.2 : false,
        combineWith: 'AND',
      })
      .slice(0, LIMIT).length;
  },
  add: (index, document) => (index as MiniSearch<Document>).add(document),
  replace: (index, _before, after) => (index as MiniSearch<Document>).replace(after),
  remove: (index, document) => (index as MiniSearch<Document>).discard(document.key),
};

/** The most common English words: in nearly every message, so their posting lists are most of the index. */
const STOP_WORDS = new Set(
  'a an and are as at be but by for from had has have he her his i if in is it its me my no not of on or our she so than that the their them then there these they this to too us was we were what when which who will with would you your'.split(
    ' ',
  ),
);

const miniSearchWithoutStopWords: Candidate = {
  ...miniSearch,
  name: 'MiniSearch 7.2.0, English stop words left out',
  notes: 'as above; the 70 commonest English words are neither indexed nor searched',
  build(documents) {
    const index = new MiniSearch<Document>({
      fields: ['content'],
      idField: 'key',
      storeFields: [],
      processTerm: (term) => {
        const lower = term.toLowerCase();
        return STOP_WORDS.has(lower) ? null : lower;
      },
    });
    index.addAll(documents);
    return index;
  },
};

type FlexIndex = InstanceType<typeof FlexSearch.Index>;

const flexSearch = (tokenize: 'forward' | 'strict'): Candidate => ({
  name: `FlexSearch 0.8.212 (${tokenize})`,
  notes:
    tokenize === 'forward'
      ? 'prefix by indexing every prefix of every word; no edit-distance typo tolerance'
      : 'whole words only: no prefix, no typo tolerance',
  build(documents) {
    const index = new FlexSearch.Index({ tokenize, resolution: 9 });
    for (const document of documents) index.add(document.id, document.content);
    return index;
  },
  query(index, text) {
    return ((index as FlexIndex).search(text, { limit: LIMIT }) as unknown[]).length;
  },
  add: (index, document) => void (index as FlexIndex).add(document.id, document.content),
  replace: (index, _before, after) => void (index as FlexIndex).update(after.id, after.content),
  remove: (index, document) => void (index as FlexIndex).remove(document.id),
});

const orama: Candidate = {
  name: 'Orama 3.1.18',
  notes: 'prefix and typo tolerance (tolerance: 1); keeps every document inside the index',
  async build(documents) {
    const index = create({ schema: { content: 'string' } as const });
    await insertMultiple(
      index,
      documents.map((document) => ({ id: document.key, content: document.content })),
      5000,
    );
    return index;
  },
  async query(index, text, typo) {
    // Orama's parameter types are too deep for tsc to instantiate here: the call is checked by running it.
    const run = oramaSearch as (index: unknown, params: Record<string, unknown>) => Promise<{ hits: unknown[] }>;
    const found = await run(index, { term: text, limit: LIMIT, ...(typo ? { tolerance: 1 } : {}) });
    return found.hits.length;
  },
  async add(index, document) {
    await oramaInsert(index as ReturnType<typeof create>, { id: document.key, content: document.content });
  },
  async replace(index, before, after) {
    await oramaRemove(index as ReturnType<typeof create>, before.key);
    await oramaInsert(index as ReturnType<typeof create>, { id: after.key, content: after.content });
  },
  async remove(index, document) {
    await oramaRemove(index as ReturnType<typeof create>, document.key);
  },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
}

/** Queries as people type them: a word and the start of the next, a whole word, a typo. */
function makeQueries(documents: Document[]): Array<{ text: string; typo: boolean }> {
  const queries: Array<{ text: string; typo: boolean }> = [];
  for (let index = 0; queries.length < 300; index += 97) {
    const words: string[] = [...(documents[index % documents.length].content.toLowerCase().match(/[a-z]{5,}/g) ?? [])];
    if (words.length < 2) continue;
    const first = words[0];
    const second = words[Math.floor(words.length / 2)];
    queries.push({ text: `${first} ${second.slice(0, 3)}`, typo: false });
    queries.push({ text: second, typo: false });
    queries.push({ text: `${first.slice(0, 2)}${first[3]}${first[2]}${first.slice(4)}`, typo: true });
  }
  return queries;
}

async function measure(candidate: Candidate, documents: Document[], textBytes: number) {
  const before = heap();
  const started = performance.now();
  const index = await candidate.build(documents);
  const buildMs = performance.now() - started;
  const indexBytes = heap() - before;

  const queries = makeQueries(documents);
  const times: Record<'prefix' | 'word' | 'typo', number[]> = { prefix: [], word: [], typo: [] };
  let hits = 0;
  for (const [position, query] of queries.entries()) {
    const start = performance.now();
    hits += await candidate.query(index, query.text, query.typo);
    times[query.typo ? 'typo' : position % 3 === 0 ? 'prefix' : 'word'].push(performance.now() - start);
  }

  const fresh = makeCorpus(1500, 7).map((message, position) => ({
    id: COUNT + position,
    key: `new-${position}`,
    content: message.content,
  }));
  const timeEach = async (items: number, step: (position: number) => Promise<void> | void) => {
    const start = performance.now();
    for (let position = 0; position < items; position++) await step(position);
    return (performance.now() - start) / items;
  };
  const addMs = await timeEach(500, (position) => candidate.add(index, fresh[position]));
  const replaceMs = await timeEach(500, (position) =>
    candidate.replace(index, documents[position], { ...documents[position], content: fresh[500 + position].content }),
  );
  const removeMs = await timeEach(500, (position) => candidate.remove(index, documents[1000 + position]));

  return {
    library: candidate.name,
    buildMs: Math.round(buildMs),
    indexMB: +(indexBytes / 1048576).toFixed(1),
    indexPerText: +(indexBytes / textBytes).toFixed(2),
    queryPrefixMs: { median: +median(times.prefix).toFixed(2), p95: +p95(times.prefix).toFixed(2) },
    queryWordMs: { median: +median(times.word).toFixed(2), p95: +p95(times.word).toFixed(2) },
    queryTypoMs: { median: +median(times.typo).toFixed(2), p95: +p95(times.typo).toFixed(2) },
    hitsPerQuery: +(hits / queries.length).toFixed(1),
    addMs: +addMs.toFixed(3),
    replaceMs: +replaceMs.toFixed(3),
    removeMs: +removeMs.toFixed(3),
    notes: candidate.notes,
  };
}

const corpus = makeCorpus(COUNT);
const documents: Document[] = corpus.map((message, position) => ({
  id: position,
  key: `m-${position}`,
  content: message.content,
}));
const characters = documents.reduce((sum, document) => sum + document.content.length, 0);
console.log(`${COUNT} messages, ${(characters / 1048576).toFixed(1)} M characters (1 byte each in V8's one-byte strings)`);
const only = option('only');
for (const candidate of [miniSearch, miniSearchWithoutStopWords, flexSearch('forward'), flexSearch('strict'), orama]) {
  if (only && !candidate.name.toLowerCase().includes(only)) continue;
  console.log(JSON.stringify(await measure(candidate, documents, characters)));
}
