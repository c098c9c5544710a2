import type { Conversation } from '../../shared/protocol';

/** Sidebar sections, in display order. */
export const GROUP_LABELS = ['Today', 'Yesterday', 'Previous 7 days', 'Older'] as const;
export type GroupLabel = (typeof GROUP_LABELS)[number];

const DAY_MS = 86_400_000;

/** Which section a timestamp belongs to, relative to local midnight of `now`. */
export function groupOf(timestamp: number, now: number): GroupLabel {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  const today = midnight.getTime();
  if (timestamp >= today) return 'Today';
  if (timestamp >= today - DAY_MS) return 'Yesterday';
  if (timestamp >= today - 7 * DAY_MS) return 'Previous 7 days';
  return 'Older';
}

/** Conversations (already newest first) split into non-empty sections. */
export function groupConversations(
  conversations: Conversation[],
  now: number,
): Array<{ label: GroupLabel; items: Conversation[] }> {
  const groups = new Map<GroupLabel, Conversation[]>();
  for (const conversation of conversations) {
    const label = groupOf(conversation.updatedAt, now);
    const items = groups.get(label) ?? [];
    items.push(conversation);
    groups.set(label, items);
  }
  return GROUP_LABELS.filter((label) => groups.has(label)).map((label) => ({ label, items: groups.get(label)! }));
}
