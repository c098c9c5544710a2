/**
 * What can be attached to a message, decided the same way in the tab (to say so before sending)
 * and in the core (which trusts nothing a tab sends): by the file's declared type AND by its
 * first bytes, never by its name. Images go to the model as image parts, text-like files as text
 * parts with their name; anything else is refused with a reason.
 */

import { formatBytes } from './bytes';

/** How an attachment reaches the model. */
export type AttachmentKind = 'image' | 'text';

/** Limits, with the words that explain them. */
export const ATTACHMENT_LIMITS = {
  /** One file as chosen, before an image is scaled down. */
  fileBytes: 20 * 1024 * 1024,
  /** A text file is sent whole: more than this would not fit a model's context anyway. */
  textBytes: 2 * 1024 * 1024,
  perMessage: 10,
  /** Every file of one message together, as chosen. */
  messageBytes: 50 * 1024 * 1024,
  /** Images are scaled so their long side is at most this (what providers accept). */
  imageLongSide: 2048,
} as const;

/** How many leading bytes the sniffers look at. */
export const SNIFF_BYTES = 4096;

const IMAGE_SIGNATURES: ReadonlyArray<{ mime: string; test: (bytes: Uint8Array) => boolean }> = [
  { mime: 'image/png', test: (bytes) => starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { mime: 'image/jpeg', test: (bytes) => starts(bytes, [0xff, 0xd8, 0xff]) },
  { mime: 'image/gif', test: (bytes) => starts(bytes, [0x47, 0x49, 0x46, 0x38]) },
  {
    mime: 'image/webp',
    test: (bytes) => starts(bytes, [0x52, 0x49, 0x46, 0x46]) && starts(bytes.subarray(8), [0x57, 0x45, 0x42, 0x50]),
  },
];

function starts(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

/** Declared types that say "text" (or say nothing useful), for which the bytes then decide. */
function mayBeText(mime: string): boolean {
  return (
    mime === '' ||
    mime === 'application/octet-stream' ||
    mime.startsWith('text/') ||
    /^application\/(json|ld\+json|xml|javascript|x-javascript|typescript|x-typescript|x-sh|x-python|yaml|x-yaml|toml|sql|graphql|csv|x-httpd-php|x-ndjson)$/.test(
      mime,
    ) ||
    mime.endsWith('+json') ||
    mime.endsWith('+xml')
  );
}

/** UTF-8 without NUL bytes or other control characters a text file never has. */
function looksLikeText(head: Uint8Array): boolean {
  // A multi-byte character cut at the end of the sample is not a problem: drop up to 3 bytes.
  for (let cut = 0; cut <= 3 && cut < head.length; cut++) {
    const sample = head.subarray(0, head.length - cut);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(sample);
    } catch {
      continue;
    }
    return !/[\u0000-\u0008\u000e-\u001a\u007f]/.test(text);
  }
  return false;
}

/** The verdict on one file: its kind and the type it is sent as, or why it cannot be. */
export type Classification = { ok: true; kind: AttachmentKind; mime: string } | { ok: false; reason: string };

/**
 * Classify a file from its declared type, its size and its first bytes (`SNIFF_BYTES`). An image
 * is what its bytes say it is; a text file must be declared as text (or not at all) and read as
 * UTF-8 text.
 */
export function classifyAttachment(name: string, declaredMime: string, size: number, head: Uint8Array): Classification {
  const mime = declaredMime.toLowerCase().split(';')[0].trim();
  if (size > ATTACHMENT_LIMITS.fileBytes) {
    return {
      ok: false,
      reason: `“${name}” is ${formatBytes(size)}; files up to ${formatBytes(ATTACHMENT_LIMITS.fileBytes)} can be sent.`,
    };
  }
  const image = IMAGE_SIGNATURES.find((signature) => signature.test(head));
  if (image) return { ok: true, kind: 'image', mime: image.mime };
  if (mime.startsWith('image/')) {
    return { ok: false, reason: `Parley can't send “${name}”: only PNG, JPEG, WebP and GIF images go to a model.` };
  }
  if (mayBeText(mime) && looksLikeText(head)) {
    if (size > ATTACHMENT_LIMITS.textBytes) {
      return {
        ok: false,
        reason: `“${name}” is ${formatBytes(size)} of text; text files up to ${formatBytes(ATTACHMENT_LIMITS.textBytes)} can be sent.`,
      };
    }
    return { ok: true, kind: 'text', mime: mime === '' || mime === 'application/octet-stream' ? 'text/plain' : mime };
  }
  return { ok: false, reason: `Parley can't send this kind of file (“${name}”): images and text files only.` };
}

/** Whether a set of files may go in one message; the reason when not. */
export function checkMessageAttachments(files: ReadonlyArray<{ size: number }>): string | undefined {
  if (files.length > ATTACHMENT_LIMITS.perMessage) return `At most ${ATTACHMENT_LIMITS.perMessage} files can go in one message.`;
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (total > ATTACHMENT_LIMITS.messageBytes) {
    return `These files come to ${formatBytes(total)}; one message can carry ${formatBytes(ATTACHMENT_LIMITS.messageBytes)}.`;
  }
  return undefined;
}

/** The size scaled image of `width`×`height` gets: the long side at most the limit, aspect kept. */
export function scaledSize(
  width: number,
  height: number,
  longSide: number = ATTACHMENT_LIMITS.imageLongSide,
): { width: number; height: number } {
  const long = Math.max(width, height);
  if (long <= longSide) return { width, height };
  const factor = longSide / long;
  return { width: Math.max(1, Math.round(width * factor)), height: Math.max(1, Math.round(height * factor)) };
}
