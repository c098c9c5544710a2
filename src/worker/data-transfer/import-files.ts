/**
 * Turning the chosen files into JSON documents, in the core: a `.zip` (a ChatGPT data export as
 * downloaded) is opened with fflate and only its `conversations.json` / `conversations-NNN.json`
 * entries are inflated; other files are read as text. What a file is, is told by its bytes (a
 * zip starts with "PK\x03\x04"), never by its name.
 *
 * Big files are handled in pieces: the zip is pushed through fflate's streaming reader a
 * megabyte at a time, yielding between pieces, so the core keeps serving every tab.
 */
import { appendAll } from '../../shared/arrays';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { IMPORT_LIMITS } from '../../shared/data-limits';
import { ImportProblem, parseImportText } from './import-scan';

/** One JSON document found in the files, named for the reasons a person reads. */
export interface ImportDocument {
  name: string;
  data: unknown;
}

/** A zip that was read: its bytes (its images are inflated only when a message shows them) and their entry names. */
export interface ZipArchive {
  bytes: Uint8Array;
  /** Entries named as ChatGPT names uploads and generated images (`file-…`, `file_…`). */
  images: string[];
}

/** What the files held: their JSON documents, and the zips they came in. */
export interface ImportContents {
  documents: ImportDocument[];
  archives: ZipArchive[];
}

const CHUNK = 1024 * 1024;
const CONVERSATIONS_ENTRY = /(?:^|\/)conversations(?:-\d+)?\.json$/;
const IMAGE_ENTRY = /(?:^|\/)file[-_][^/]+$/;

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024).toLocaleString('en-US');

function decode(bytes: Uint8Array): unknown {
  if (bytes.length > IMPORT_LIMITS.fileCharacters) {
    throw new ImportProblem(
      `it is ${megabytes(bytes.length)} MB, more than the ${megabytes(IMPORT_LIMITS.fileCharacters)} MB Parley can import at once`,
    );
  }
  try {
    return parseImportText(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    if (error instanceof ImportProblem) throw error;
    throw new ImportProblem('it is not a text file');
  }
}

/** Inflate the conversation files of a zip, a piece at a time. */
async function readZip(bytes: Uint8Array, onProgress: (done: number) => void): Promise<ImportContents> {
  const found: Array<{ name: string; chunks: Uint8Array[]; size: number; done: boolean }> = [];
  const zipImages: string[] = [];
  let failure: unknown;
  const unzip = new Unzip((file: UnzipFile) => {
    if (file.name.startsWith('__MACOSX/') || file.name.endsWith('/')) return;
    if (IMAGE_ENTRY.test(file.name)) zipImages.push(file.name);
    if (!CONVERSATIONS_ENTRY.test(file.name)) return;
    const entry = { name: file.name, chunks: [] as Uint8Array[], size: 0, done: false };
    found.push(entry);
    file.ondata = (error, chunk, final) => {
      if (error) {
        failure = error;
        return;
      }
      entry.size += chunk.length;
      if (entry.size > IMPORT_LIMITS.fileCharacters) {
        failure = new ImportProblem(`${file.name} in the zip is larger than Parley can read at once`);
        file.terminate();
        return;
      }
      entry.chunks.push(chunk);
      entry.done = final;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    try {
      unzip.push(bytes.subarray(offset, offset + CHUNK), offset + CHUNK >= bytes.length);
    } catch {
      throw new ImportProblem('it is a zip file that is damaged or cut short');
    }
    if (failure) throw failure instanceof ImportProblem ? failure : new ImportProblem('it is a zip file that is damaged');
    onProgress(Math.min(bytes.length, offset + CHUNK));
    await nextTask();
  }
  if (found.length === 0) {
    throw new ImportProblem('it is a zip file without conversations.json (is it a ChatGPT data export?)');
  }
  const documents: ImportDocument[] = [];
  for (const entry of found) {
    if (!entry.done) throw new ImportProblem(`${entry.name} in the zip is cut short`);
    const joined = new Uint8Array(entry.size);
    let at = 0;
    for (const chunk of entry.chunks) {
      joined.set(chunk, at);
      at += chunk.length;
    }
    try {
      documents.push({ name: entry.name, data: decode(joined) });
    } catch (error) {
      throw error instanceof ImportProblem ? new ImportProblem(`${entry.name} in the zip: ${error.reason}`) : error;
    }
    await nextTask();
  }
  return { documents, archives: [{ bytes, images: zipImages }] };
}

/**
 * Read every file: zips opened, JSON parsed. Throws an ImportProblem naming the file when one
 * cannot be read. `onProgress` hears bytes read of all files.
 */
export async function readImportFiles(files: Blob[], onProgress: (done: number, total: number) => void): Promise<ImportContents> {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const contents: ImportContents = { documents: [], archives: [] };
  let before = 0;
  for (const [index, file] of files.entries()) {
    const name = 'name' in file && typeof file.name === 'string' && file.name ? file.name : `file ${index + 1}`;
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      if (isZip(bytes)) {
        const zip = await readZip(bytes, (done) => onProgress(before + done, total));
        appendAll(contents.documents, zip.documents);
        appendAll(contents.archives, zip.archives);
      } else {
        contents.documents.push({ name, data: decode(bytes) });
      }
    } catch (error) {
      if (error instanceof ImportProblem && files.length > 1) throw new ImportProblem(`${name}: ${error.reason}`);
      throw error;
    }
    before += file.size;
    onProgress(before, total);
  }
  return contents;
}
