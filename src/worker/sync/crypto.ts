/**
 * End-to-end encryption of what sync sends, with Web Crypto only. The server sees ciphertext and
 * ids that say nothing.
 *
 * - One passphrase per synced database, stretched with PBKDF2-SHA-256 (600,000 iterations, the
 *   OWASP figure) over a random per-database salt into 512 bits: the first half is an AES-GCM
 *   key (documents), the second an HMAC-SHA-256 key (document ids). Both are non-extractable:
 *   stored in IndexedDB as CryptoKeys, they never exist as bytes a script could read.
 * - Each document is sealed with a fresh 96-bit IV, and its id as additional data: a ciphertext
 *   moved to another document does not open.
 * - A document's id is an HMAC of what it holds ("message:<id>"), so every device finds the same
 *   document for the same record, and the server cannot link ids to anything.
 */
import { base64ToBytes, bytesToBase64 } from '../../shared/base64';

/** The keys one synced database is read and written with. */
export interface SyncKeys {
  encryption: CryptoKey;
  naming: CryptoKey;
}

/** How the keys were derived: stored (not secret) with the database so another device derives the same. */
export interface KeyDerivation {
  salt: string;
  iterations: number;
}

export const DEFAULT_ITERATIONS = 600_000;

/** The iteration counts a database may ask for: fewer is too weak, more would stall the device. */
export const ITERATION_RANGE = { min: 100_000, max: 10_000_000 } as const;

const SALT_BYTES = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A fresh derivation for a new synced database. */
export function newDerivation(iterations: number = DEFAULT_ITERATIONS): KeyDerivation {
  return { salt: bytesToBase64(crypto.getRandomValues(new Uint8Array(SALT_BYTES))), iterations };
}

/**
 * Whether a derivation read from a server is one Parley writes: a 16-byte salt and a whole
 * number of iterations within `ITERATION_RANGE` — never PBKDF2 run as often as a stranger asks.
 * `minimum`: fewer iterations this build writes itself (tests lower it).
 */
export function isSafeDerivation(salt: unknown, iterations: unknown, minimum: number = ITERATION_RANGE.min): boolean {
  if (typeof iterations !== 'number' || !Number.isInteger(iterations)) return false;
  if (iterations < Math.min(minimum, ITERATION_RANGE.min) || iterations > ITERATION_RANGE.max) return false;
  if (typeof salt !== 'string') return false;
  try {
    return base64ToBytes(salt).length === SALT_BYTES;
  } catch {
    return false;
  }
}

export async function deriveKeys(passphrase: string, derivation: KeyDerivation): Promise<SyncKeys> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(passphrase.normalize('NFC')), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt: base64ToBytes(derivation.salt), iterations: derivation.iterations },
      material,
      512,
    ),
  );
  const [encryption, naming] = await Promise.all([
    crypto.subtle.importKey('raw', bits.slice(0, 32), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']),
    crypto.subtle.importKey('raw', bits.slice(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
  ]);
  bits.fill(0);
  return { encryption, naming };
}

/** The document id of a record: 32 hex characters nobody can trace back without the keys. */
export async function documentId(keys: SyncKeys, kind: string, id: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', keys.naming, encoder.encode(`${kind}:${id}`)));
  return [...mac.subarray(0, 16)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Seal bytes for `context` (the document id): base64 of IV followed by ciphertext and tag. */
export async function sealBytes(keys: SyncKeys, context: string, plain: Uint8Array<ArrayBuffer>): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, keys.encryption, plain),
  );
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return bytesToBase64(out);
}

/** Open what `sealBytes` sealed; throws when the key, the context or a single bit is wrong. */
export async function openBytes(keys: SyncKeys, context: string, sealed: string): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = base64ToBytes(sealed);
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: bytes.subarray(0, 12), additionalData: encoder.encode(context) },
    keys.encryption,
    bytes.subarray(12),
  );
  return new Uint8Array(plain);
}

export function sealJson(keys: SyncKeys, context: string, value: unknown): Promise<string> {
  return sealBytes(keys, context, encoder.encode(JSON.stringify(value)));
}

export async function openJson<T>(keys: SyncKeys, context: string, sealed: string): Promise<T> {
  return JSON.parse(decoder.decode(await openBytes(keys, context, sealed))) as T;
}
