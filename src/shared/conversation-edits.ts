/**
 * A conversation's fields a person edits, each with the time it was last set. Two devices that
 * changed the same conversation while apart merge field by field: for each field the later edit
 * wins — a title renamed on one device and a model picked on the other both stay — the same way
 * on every device, without asking anyone.
 */
import type { Conversation } from './protocol';

/** The fields merged one by one. */
export const EDITED_FIELDS = ['title', 'providerId', 'modelId', 'systemPrompt', 'activeLeafId'] as const;

/** One of {@link EDITED_FIELDS}. */
export type EditedField = (typeof EDITED_FIELDS)[number];

/** `conversation` with `fields` set from `changes`, each stamped with `at`. */
export function edit(conversation: Conversation, changes: Partial<Pick<Conversation, EditedField>>, at: number): Conversation {
  const edited: Conversation = { ...conversation, edits: { ...conversation.edits } };
  for (const field of EDITED_FIELDS) {
    if (!(field in changes)) continue;
    const value = changes[field];
    if (value === undefined) delete edited[field as 'systemPrompt'];
    else Object.assign(edited, { [field]: value });
    edited.edits![field] = at;
  }
  return edited;
}

/**
 * When a field was last set. A field never stamped is as old as the conversation: any stamped
 * edit beats it (`updatedAt` would not do: it moves with every reply, not with this field).
 */
function editedAt(conversation: Conversation, field: EditedField): number {
  return conversation.edits?.[field] ?? conversation.createdAt;
}

/**
 * Two versions of one conversation as one: each field from the side that set it later (at equal
 * times the greater value, so the order of the two never matters). Commutative and idempotent,
 * so every device gets the same and merging again changes nothing.
 */
export function mergeConversations(first: Conversation, second: Conversation): Conversation {
  const later = first.updatedAt >= second.updatedAt ? first : second;
  const merged: Conversation = { ...later, edits: {} };
  for (const field of EDITED_FIELDS) {
    const a = editedAt(first, field);
    const b = editedAt(second, field);
    const winner =
      a !== b ? (a > b ? first : second) : String(first[field] ?? '') >= String(second[field] ?? '') ? first : second;
    if (winner[field] === undefined) delete merged[field as 'systemPrompt'];
    else Object.assign(merged, { [field]: winner[field] });
    // Only times someone recorded: a merge adds nothing that would make two copies differ.
    const recorded = Math.max(first.edits?.[field] ?? -Infinity, second.edits?.[field] ?? -Infinity);
    if (recorded > -Infinity) merged.edits![field] = recorded;
  }
  if (Object.keys(merged.edits!).length === 0) delete merged.edits;
  merged.updatedAt = Math.max(first.updatedAt, second.updatedAt);
  merged.createdAt = Math.min(first.createdAt, second.createdAt);
  return merged;
}
