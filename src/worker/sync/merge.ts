/**
 * The one rule every device applies to conflicting revisions of a document, so that all of them
 * keep the same one without asking anyone: the newer record wins (its `updatedAt`, or a
 * tombstone's time); at equal times a deletion wins; then the higher revision. CouchDB's own
 * choice (the longest branch) says nothing about which edit is newer, so it is not used.
 */
import { timeOf, type SyncRecord } from './documents';

/** One revision of a document, opened. */
export interface Candidate {
  rev: string;
  record: SyncRecord;
}

/** `3-abc` → [3, 'abc'], compared generation first. */
function compareRevisions(first: string, second: string): number {
  const [firstGeneration, firstHash] = first.split('-');
  const [secondGeneration, secondHash] = second.split('-');
  return Number(firstGeneration) - Number(secondGeneration) || (firstHash < secondHash ? -1 : firstHash > secondHash ? 1 : 0);
}

/** Whether `candidate` beats `other` under the rule. */
function beats(candidate: Candidate, other: Candidate): boolean {
  const byTime = timeOf(candidate.record) - timeOf(other.record);
  if (byTime !== 0) return byTime > 0;
  const deleted = (entry: Candidate) => (entry.record.kind === 'deleted' ? 1 : 0);
  const byDeletion = deleted(candidate) - deleted(other);
  if (byDeletion !== 0) return byDeletion > 0;
  return compareRevisions(candidate.rev, other.rev) > 0;
}

/** The revision every device keeps. */
export function chooseWinner(candidates: readonly Candidate[]): Candidate {
  if (candidates.length === 0) throw new Error('chooseWinner needs at least one candidate');
  return candidates.reduce((best, candidate) => (beats(candidate, best) ? candidate : best));
}
