/**
 * Many records sealed at once (turning sync on, an import) go in chunks: each is sealed in
 * parallel and written in one request, so its size is what the worker holds at once. A file is
 * held several times over while it is sealed (its bytes, the ciphertext, their base64), so a
 * chunk is bounded by its files' bytes as well as by its count.
 */

/** Records in one chunk at most. */
export const CHUNK_RECORDS = 250;
/** Bytes of files in one chunk at most (a larger file goes alone). */
export const CHUNK_FILE_BYTES = 8 * 1024 * 1024;

/** `items` in order, in chunks of at most `records` items and about `bytes` of `sizeOf`. */
export function* chunked<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  records = CHUNK_RECORDS,
  bytes = CHUNK_FILE_BYTES,
): Generator<T[]> {
  let chunk: T[] = [];
  let held = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (chunk.length > 0 && (chunk.length >= records || held + size > bytes)) {
      yield chunk;
      chunk = [];
      held = 0;
    }
    chunk.push(item);
    held += size;
  }
  if (chunk.length > 0) yield chunk;
}
