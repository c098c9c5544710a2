/**
 * Attachments in an export file (format 3): each file's record with its data as base64, beside
 * the messages that list it. Embedded rather than zipped so that an export stays one JSON file
 * that one reader checks whole and writes in one transaction; images are stored scaled (≤ 2048 px)
 * so the base64 overhead (a third) stays moderate.
 */
import { base64ToBytes, bytesToBase64 } from '../../shared/base64';
import { IMPORT_LIMITS } from '../../shared/data-limits';
import type { AttachmentRef } from '../../shared/protocol';
import type { AttachmentRow } from '../storage/schema';
import { FieldReader, list, record, shown, unique, type Fields } from './field-reader';
import { ImportProblem } from './import-scan';

/** An attachment as an export file holds it. */
export type ExportedAttachment = Omit<AttachmentRow, 'blob'> & { data: string };

const KINDS: ReadonlySet<string> = new Set(['image', 'text']);

export async function exportAttachment(row: AttachmentRow): Promise<ExportedAttachment> {
  const { blob, ...fields } = row;
  return { ...fields, data: bytesToBase64(new Uint8Array(await blob.arrayBuffer())) };
}

function readReference(fields: FieldReader): AttachmentRef {
  const reference: AttachmentRef = {
    id: fields.id(),
    name: fields.text('name', IMPORT_LIMITS.mediumText),
    mime: fields.text('mime', IMPORT_LIMITS.shortText),
    size: fields.amount('size'),
    kind: fields.oneOf<AttachmentRef['kind']>('kind', KINDS),
  };
  if (fields.record.width !== undefined) reference.width = fields.amount('width');
  if (fields.record.height !== undefined) reference.height = fields.amount('height');
  return reference;
}

/** A message's `attachments` list: references, each to a file the export must also hold. */
export function readAttachmentReferences(fields: FieldReader): AttachmentRef[] | undefined {
  const value = fields.record.attachments;
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fields.fail('has an attachments value that is not a list');
  return value.map((entry: unknown, index) => readReference(record(entry, `${fields.label}'s file ${index + 1}`)));
}

/**
 * The file's attachments, each belonging to a message of the file that lists it, with data that
 * decodes to its stated size. Every reference must have its file: a message never points at
 * nothing.
 */
export function readAttachments(
  data: Fields,
  listed: ReadonlyMap<string, { conversationId: string; messageId: string }>,
): AttachmentRow[] {
  const rows: AttachmentRow[] = [];
  const seen = new Set<string>();
  const values = data.attachments === undefined ? [] : list(data, 'attachments', IMPORT_LIMITS.messages);
  for (const [index, value] of values.entries()) {
    const fields: FieldReader = record(value, `file ${index + 1} of ${values.length}`);
    const reference = readReference(fields);
    unique(seen, reference.id, fields.label, 'file');
    const owner = listed.get(reference.id);
    if (!owner || owner.messageId !== fields.record.messageId)
      fields.fail(`belongs to no message of the file (${shown(reference.id)})`);
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = base64ToBytes(fields.text('data', IMPORT_LIMITS.longText));
    } catch {
      fields.fail('has data that is not base64');
    }
    if (bytes.length !== reference.size) fields.fail(`has ${bytes.length} bytes of data but says ${reference.size}`);
    rows.push({ ...reference, ...owner, blob: new Blob([bytes], { type: reference.mime }) });
  }
  for (const [id] of listed) {
    if (!seen.has(id)) throw new ImportProblem(`a message lists a file that is not in the export (${shown(id)})`);
  }
  return rows;
}
