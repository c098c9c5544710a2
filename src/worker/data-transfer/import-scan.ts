/**
 * The first look at an import file, whatever its format: is it JSON, is it small enough, and is
 * there anything in it no Parley ever writes — keys that reach an object's prototype, absurd
 * nesting, absurdly long texts or lists. Nothing here knows the formats; it only refuses files
 * that would be dangerous or ruinous to look at more closely.
 */
import { IMPORT_LIMITS } from '../../shared/data-limits';

/** A problem with the file, in words a person understands. Caught and sent as data. */
export class ImportProblem extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ImportProblem';
  }
}

/** Keys that reach `Object.prototype` when code copies or merges objects carelessly. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function format(count: number): string {
  return count.toLocaleString('en-US');
}

/** Parse the text, or explain why it is not a file Parley can read. */
export function parseImportText(json: unknown): unknown {
  if (typeof json !== 'string') throw new ImportProblem('it is not a text file');
  if (json.length > IMPORT_LIMITS.fileCharacters) {
    throw new ImportProblem(
      `it is ${format(Math.round(json.length / 1024 / 1024))} MB, more than the ${format(IMPORT_LIMITS.fileCharacters / 1024 / 1024)} MB Parley can import at once`,
    );
  }
  if (!json.trim()) throw new ImportProblem('it is empty');
  try {
    return JSON.parse(json);
  } catch {
    // The parser's own words ("Unexpected token } in JSON at position 1234") help nobody.
    throw new ImportProblem('it is not valid JSON (it may be cut short or not be a Parley export at all)');
  }
}

interface Pending {
  value: unknown;
  path: string[];
}

function where(path: string[]): string {
  return path.length ? ` (at ${path.join(' → ')})` : '';
}

/**
 * Walks every value once, without recursion (a hostile file can nest deeper than the stack),
 * and throws at the first thing no Parley file contains.
 */
export function scanImportData(data: unknown): void {
  const stack: Pending[] = [{ value: data, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > IMPORT_LIMITS.longText) {
        throw new ImportProblem(
          `it holds a text of ${format(value.length)} characters${where(path)}, more than the ${format(IMPORT_LIMITS.longText)} allowed`,
        );
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= IMPORT_LIMITS.depth) {
      throw new ImportProblem(
        `it is nested more than ${IMPORT_LIMITS.depth} levels deep${where(path.slice(0, 4))}, which no Parley export is`,
      );
    }
    if (Array.isArray(value)) {
      if (value.length > IMPORT_LIMITS.messages) {
        throw new ImportProblem(
          `it holds a list of ${format(value.length)} entries${where(path)}, more than the ${format(IMPORT_LIMITS.messages)} allowed`,
        );
      }
      for (let index = value.length - 1; index >= 0; index--)
        stack.push({ value: value[index], path: [...path, `item ${index + 1}`] });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) {
        throw new ImportProblem(
          `it contains a field named "${key}"${where(path)}, which Parley never writes; the file may have been tampered with`,
        );
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
}
