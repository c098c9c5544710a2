/**
 * The images of a ChatGPT export, brought in as attachments: a message that showed an image
 * (`image_asset_pointer`, by file id) gets the zip's `file-<id>…` entry, checked by its bytes
 * (the same rule as a file attached by hand) and fitted to what providers accept. An image the
 * chosen files do not hold (a `conversations.json` chosen without its zip), or that cannot be
 * read, leaves “[image not imported]” in the text and is counted in the report.
 *
 * Attachment ids are made from the message's and the file's (`<message id>:<file id>`), so a
 * second import of the same zip adds nothing, as for the messages.
 */
import { unzipSync } from 'fflate';
import { ATTACHMENT_LIMITS, classifyAttachment, SNIFF_BYTES } from '../../../shared/attachments';
import type { AttachmentRef, Message } from '../../../shared/protocol';
import { fitImage, type ImageScaler } from '../../session/attachment-intake';
import type { DataSet } from '../../storage/data-set';
import type { AttachmentRow } from '../../storage/schema';
import type { ZipArchive } from '../import-files';
import type { ImportNotes } from '../import-notes';

/** Shown in the text where an image could not be brought in. */
export const IMAGE_PLACEHOLDER = '[image not imported]';

const NOT_IN_FILES = 'images not in the chosen files (choose the .zip as downloaded to bring them in)';
const UNREADABLE = 'images Parley could not read (not PNG, JPEG, WebP or GIF, or damaged)';
const TOO_MANY = `images past the ${ATTACHMENT_LIMITS.perMessage} a message can hold`;

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

interface Entry {
  archive: ZipArchive;
  name: string;
}

/** Every image entry of the zips by its file id: `file-AbC-photo.png` and `file_AbC.dat` are `file-AbC`, `file_AbC`. */
function entriesById(archives: readonly ZipArchive[]): Map<string, Entry> {
  const byId = new Map<string, Entry>();
  for (const archive of archives) {
    for (const name of archive.images) {
      const id = /^(file[-_][A-Za-z0-9]+)/.exec(name.slice(name.lastIndexOf('/') + 1))?.[1];
      if (id && !byId.has(id)) byId.set(id, { archive, name });
    }
  }
  return byId;
}

/** One image as a stored attachment, or undefined (with the reason counted) when it cannot be one. */
async function readImage(entry: Entry, message: Message, fileId: string, scaler: ImageScaler, notes: ImportNotes) {
  const bytes = unzipSync(entry.archive.bytes, { filter: (file) => file.name === entry.name })[entry.name];
  const name = entry.name.slice(entry.name.lastIndexOf('/') + 1);
  const verdict = bytes ? classifyAttachment(name, '', bytes.length, bytes.subarray(0, SNIFF_BYTES)) : undefined;
  if (!bytes || !verdict?.ok || verdict.kind !== 'image') {
    notes.add(UNREADABLE);
    return undefined;
  }
  try {
    const row: AttachmentRow = {
      id: `${message.id}:${fileId}`,
      conversationId: message.conversationId,
      messageId: message.id,
      name,
      ...(await fitImage(scaler, new Blob([bytes], { type: verdict.mime }), verdict.mime)),
    };
    return row;
  } catch {
    notes.add(UNREADABLE);
    return undefined;
  }
}

/**
 * Give each message its images (`pending`: message id → file ids), as attachments when the zip
 * holds them, else as a placeholder in its text. Returns how many became attachments.
 */
export async function attachImages(
  data: DataSet,
  pending: ReadonlyMap<string, readonly string[]>,
  archives: readonly ZipArchive[],
  scaler: ImageScaler,
  notes: ImportNotes,
): Promise<number> {
  const entries = entriesById(archives);
  let attached = 0;
  for (const message of data.messages) {
    const files = pending.get(message.id);
    if (!files) continue;
    const references: AttachmentRef[] = [];
    let missing = 0;
    for (const fileId of files) {
      const entry = entries.get(fileId);
      if (!entry) notes.add(NOT_IN_FILES);
      else if (references.length >= ATTACHMENT_LIMITS.perMessage) notes.add(TOO_MANY);
      const row =
        entry && references.length < ATTACHMENT_LIMITS.perMessage
          ? await readImage(entry, message, fileId, scaler, notes)
          : undefined;
      if (!row) {
        missing += 1;
        continue;
      }
      const { blob: _blob, conversationId: _conversation, messageId: _message, ...reference } = row;
      references.push(reference);
      data.attachments.push(row);
      attached += 1;
      // An export can hold thousands of images: let the core breathe between them.
      await nextTask();
    }
    if (references.length > 0) message.attachments = references;
    if (missing > 0)
      message.content = [...Array<string>(missing).fill(IMAGE_PLACEHOLDER), message.content].filter(Boolean).join('\n\n');
  }
  return attached;
}
