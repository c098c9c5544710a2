/**
 * Reading the fields of an untrusted record, one by one, naming the record in every complaint.
 * Every importer checks its file with these, so a reason always reads the same way ("message 12
 * of conversation “Trip” has no role"); numbering starts at 1, as a person counts.
 */
import { parseBaseUrl } from '../../shared/base-url';
import { IMPORT_LIMITS } from '../../shared/data-limits';
import type { Usage } from '../../shared/protocol';
import { ImportProblem } from './import-scan';

export type Fields = Record<string, unknown>;

/** Later than any real clock reading (the largest Date), earlier than none. */
const LATEST_TIME = 8.64e15;

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as it may appear inside a reason: short, on one line. */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** A title fit for a reason: no control, bidi or zero-width characters, at most 40 characters. */
export function shownTitle(title: string): string {
  const clean = title.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '').trim();
  return clean.length > 40 ? `${clean.slice(0, 39)}…` : clean;
}

/** Reads the fields of one record, naming the record in every complaint. */
export class FieldReader {
  constructor(
    readonly record: Fields,
    readonly label: string,
  ) {}

  fail(problem: string): never {
    throw new ImportProblem(`${this.label} ${problem}`);
  }

  text(field: string, max: number): string {
    const value = this.record[field];
    if (value === undefined || value === null) this.fail(`has no ${field}`);
    if (typeof value !== 'string') this.fail(`has a ${field} that is not text (${shown(value)})`);
    if (value.length > max) this.fail(`has a ${field} of ${value.length} characters (at most ${max})`);
    return value;
  }

  optionalText(field: string, max: number): string | undefined {
    return this.record[field] === undefined ? undefined : this.text(field, max);
  }

  id(field = 'id'): string {
    const value = this.text(field, IMPORT_LIMITS.shortText);
    if (!value) this.fail(`has an empty ${field}`);
    return value;
  }

  /** A provider address: every request, with the key, goes there, so only a web address will do. */
  baseUrl(field: string): string {
    const value = this.text(field, IMPORT_LIMITS.shortText);
    const parsed = parseBaseUrl(value);
    if (!parsed.ok) this.fail(`has a ${field} that is not an http(s) web address (${shown(value)})`);
    return parsed.value;
  }

  time(field: string): number {
    const value = this.record[field];
    if (value === undefined) this.fail(`has no ${field} time`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > LATEST_TIME) {
      this.fail(`has a ${field} time that is not a valid date (${shown(value)})`);
    }
    return value;
  }

  optionalTime(field: string): number | undefined {
    return this.record[field] === undefined ? undefined : this.time(field);
  }

  /** A non-negative finite number: a price, a cost, a delay. */
  amount(field: string, value: unknown = this.record[field]): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      this.fail(`has a ${field} that is not a number of zero or more (${shown(value)})`);
    }
    return value;
  }

  boolean(field: string): boolean {
    const value = this.record[field];
    if (typeof value !== 'boolean') this.fail(`has a ${field} that is not true or false (${shown(value)})`);
    return value;
  }

  oneOf<T extends string>(field: string, allowed: ReadonlySet<string>): T {
    const value = this.record[field];
    if (value === undefined) this.fail(`has no ${field}`);
    if (typeof value !== 'string' || !allowed.has(value)) {
      this.fail(`has ${field} ${shown(value)} (expected one of ${[...allowed].join(', ')})`);
    }
    return value as T;
  }

  usage(field: string): Usage {
    const value = this.record[field];
    if (!isRecord(value)) this.fail(`has a ${field} that is not an object`);
    const count = (name: 'promptTokens' | 'completionTokens'): number => {
      const tokens = value[name];
      if (typeof tokens !== 'number' || !Number.isInteger(tokens) || tokens < 0) {
        this.fail(`has ${field}.${name} that is not a whole number of zero or more (${shown(tokens)})`);
      }
      return tokens;
    };
    return { promptTokens: count('promptTokens'), completionTokens: count('completionTokens') };
  }
}

export function list(data: Fields, field: string, limit: number): unknown[] {
  const value = data[field];
  if (!Array.isArray(value)) throw new ImportProblem(`it has no "${field}" list`);
  if (value.length > limit)
    throw new ImportProblem(`it has ${value.length} ${field}, more than the ${limit} Parley imports at once`);
  return value;
}

export function record(value: unknown, label: string): FieldReader {
  if (!isRecord(value)) throw new ImportProblem(`${label} is not an object (${shown(value)})`);
  return new FieldReader(value, label);
}

export function unique(seen: Set<string>, id: string, label: string, kind: string): void {
  if (seen.has(id)) throw new ImportProblem(`${label} has the same id as an earlier ${kind} (${shown(id)})`);
  seen.add(id);
}
