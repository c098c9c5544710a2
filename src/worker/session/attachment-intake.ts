/**
 * Files arriving with a message: checked (type, bytes, limits) before anything is stored, and
 * images scaled down to what providers accept, so a stored image is never larger than it needs
 * to be. The original is kept only when it was small enough already.
 */
import {
  ATTACHMENT_LIMITS,
  checkMessageAttachments,
  classifyAttachment,
  scaledSize,
  SNIFF_BYTES,
} from '../../shared/attachments';
import { newId } from '../../shared/ids';
import type { NewAttachment, Result } from '../../shared/protocol';
import { fail, ok } from '../../shared/result';
import type { AttachmentRow } from '../storage/schema';

/** An attachment ready to store, waiting only for the message it belongs to. */
export type PreparedAttachment = Omit<AttachmentRow, 'conversationId' | 'messageId'>;

/** An image as stored: its pixels and its (possibly re-encoded) file. */
export interface FittedImage {
  width: number;
  height: number;
  blob: Blob;
  mime: string;
}

/** Decodes an image and, when it is too big, re-encodes it smaller. */
export interface ImageScaler {
  fit(image: Blob, mime: string, longSide: number): Promise<FittedImage>;
}

/** An image fitted to what providers accept, as an attachment stores it (its id and name are the caller's). */
export async function fitImage(
  scaler: ImageScaler,
  image: Blob,
  mime: string,
): Promise<Pick<AttachmentRow, 'mime' | 'size' | 'kind' | 'width' | 'height' | 'blob'>> {
  const fitted = await scaler.fit(image, mime, ATTACHMENT_LIMITS.imageLongSide);
  return {
    mime: fitted.mime,
    size: fitted.blob.size,
    kind: 'image',
    width: fitted.width,
    height: fitted.height,
    blob: fitted.blob,
  };
}

/** An image over this many bytes, even within the pixel limit, is re-encoded (providers cap image size too). */
const IMAGE_BYTES_TO_KEEP = 5 * 1024 * 1024;

/**
 * The browser's scaler: `createImageBitmap` and an `OffscreenCanvas`, in the worker, so a large
 * photo never costs the page a frame.
 */
export const canvasScaler: ImageScaler = {
  async fit(image, mime, longSide) {
    if (typeof OffscreenCanvas === 'undefined' || typeof createImageBitmap === 'undefined') {
      throw new Error('This browser cannot resize images in the background.');
    }
    const bitmap = await createImageBitmap(image);
    try {
      const target = scaledSize(bitmap.width, bitmap.height, longSide);
      const shrink = target.width !== bitmap.width || target.height !== bitmap.height;
      if (!shrink && image.size <= IMAGE_BYTES_TO_KEEP) return { width: bitmap.width, height: bitmap.height, blob: image, mime };
      const canvas = new OffscreenCanvas(target.width, target.height);
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0, target.width, target.height);
      // A photo stays a photo (JPEG/WebP); everything else becomes PNG, which keeps transparency.
      // Still too heavy within the pixel limit: JPEG, the smallest every provider takes.
      const type = !shrink ? 'image/jpeg' : mime === 'image/jpeg' || mime === 'image/webp' ? mime : 'image/png';
      const blob = await canvas.convertToBlob({ type, quality: 0.88 });
      return { width: target.width, height: target.height, blob, mime: type };
    } finally {
      bitmap.close();
    }
  },
};

/** A file name fit to show and to download as: no folders, no control characters, not endless. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (clean || 'file').slice(0, 200);
}

/**
 * Check every file, then prepare each: images fitted by `scaler`, text kept as it is. The first
 * file that cannot be sent fails them all, with the reason (nothing is stored).
 */
export async function takeAttachments(files: NewAttachment[], scaler: ImageScaler): Promise<Result<PreparedAttachment[]>> {
  if (!Array.isArray(files)) return fail('config', 'The files sent with the message could not be read.');
  const sizes = files.map((file) => (file?.data instanceof Blob ? file.data.size : 0));
  const tooMany = checkMessageAttachments(sizes.map((size) => ({ size })));
  if (tooMany) return fail('config', tooMany);
  const prepared: PreparedAttachment[] = [];
  for (const file of files) {
    if (!(file?.data instanceof Blob)) return fail('config', 'One of the files could not be read. Attach it again.');
    const name = cleanName(String(file.name ?? ''));
    const head = new Uint8Array(await file.data.slice(0, SNIFF_BYTES).arrayBuffer());
    const verdict = classifyAttachment(name, String(file.mime ?? ''), file.data.size, head);
    if (!verdict.ok) return fail('config', verdict.reason);
    if (verdict.kind === 'text') {
      prepared.push({ id: newId(), name, mime: verdict.mime, size: file.data.size, kind: 'text', blob: file.data });
      continue;
    }
    try {
      prepared.push({ id: newId(), name, ...(await fitImage(scaler, file.data, verdict.mime)) });
    } catch {
      return fail('config', `“${name}” could not be read as an image. It may be damaged; try another copy.`);
    }
  }
  return ok(prepared);
}
