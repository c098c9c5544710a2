import { describe, expect, it } from 'vitest';
import { deriveKeys, documentId, newDerivation, openJson, sealJson } from '../../src/worker/sync/crypto';
import { chooseWinner } from '../../src/worker/sync/merge';
import type { SyncRecord } from '../../src/worker/sync/documents';
import { edit, mergeConversations } from '../../src/shared/conversation-edits';
import type { Conversation } from '../../src/shared/protocol';

const derivation = { ...newDerivation(1000) };

describe('sealing', () => {
  it('opens what it sealed; another passphrase, another document, or one changed bit does not', async () => {
    const keys = await deriveKeys('correct horse', derivation);
    const sealed = await sealJson(keys, 'doc-1', { title: 'Trip to Lisbon' });
    expect(sealed).not.toContain('Lisbon');
    expect(await openJson(keys, 'doc-1', sealed)).toEqual({ title: 'Trip to Lisbon' });

    const wrong = await deriveKeys('wrong horse', derivation);
    await expect(openJson(wrong, 'doc-1', sealed)).rejects.toThrow();
    await expect(openJson(keys, 'doc-2', sealed)).rejects.toThrow(); // moved to another document
    const flipped = sealed.slice(0, 20) + (sealed[20] === 'A' ? 'B' : 'A') + sealed.slice(21);
    await expect(openJson(keys, 'doc-1', flipped)).rejects.toThrow();
    // A fresh IV each time: the same record never seals the same way twice.
    expect(await sealJson(keys, 'doc-1', { title: 'Trip to Lisbon' })).not.toBe(sealed);
  });

  it('derives the same keys from the same passphrase and salt on every device; ids say nothing', async () => {
    const first = await deriveKeys('correct horse', derivation);
    const second = await deriveKeys('correct horse', derivation);
    const id = await documentId(first, 'message', 'message-123');
    expect(await documentId(second, 'message', 'message-123')).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(await documentId(first, 'conversation', 'message-123')).not.toBe(id);
    const otherSalt = await deriveKeys('correct horse', newDerivation(1000));
    expect(await documentId(otherSalt, 'message', 'message-123')).not.toBe(id);
  });
});

const conversation = (overrides: Partial<Conversation> = {}): Conversation => ({
  id: 'c',
  title: 'Original',
  activeLeafId: null,
  providerId: 'p',
  modelId: 'm',
  createdAt: 1,
  updatedAt: 10,
  usage: { promptTokens: 0, completionTokens: 0 },
  cost: 0,
  ...overrides,
});

describe('the merge rule', () => {
  it('merges two versions of a conversation field by field, the later edit winning, the same both ways', () => {
    const base = conversation();
    const onA = edit({ ...base, updatedAt: 50 }, { title: 'Renamed on A', activeLeafId: 'x' }, 20);
    const onB = edit(base, { title: 'Renamed on B', modelId: 'model-b' }, 30);
    const merged = mergeConversations(onA, onB);
    expect(merged).toMatchObject({ title: 'Renamed on B', modelId: 'model-b', activeLeafId: 'x', updatedAt: 50 });
    expect(mergeConversations(onB, onA)).toEqual(merged);
    // Merging again changes nothing: devices settle.
    expect(mergeConversations(merged, onA)).toEqual(merged);
  });

  it('keeps the newest revision of anything else; at equal times a deletion wins', () => {
    const message = (updatedAt: number): SyncRecord => ({
      kind: 'message',
      record: {
        id: 'm',
        conversationId: 'c',
        parentId: null,
        role: 'user',
        content: `at ${updatedAt}`,
        status: 'complete',
        createdAt: 1,
        updatedAt,
      },
    });
    const deleted: SyncRecord = { kind: 'deleted', target: 'message', id: 'm', at: 20 };
    expect(
      chooseWinner([
        { rev: '2-a', record: message(10) },
        { rev: '2-b', record: message(30) },
      ]).rev,
    ).toBe('2-b');
    expect(
      chooseWinner([
        { rev: '3-a', record: message(20) },
        { rev: '2-b', record: deleted },
      ]).rev,
    ).toBe('2-b');
    expect(
      chooseWinner([
        { rev: '3-a', record: message(21) },
        { rev: '2-b', record: deleted },
      ]).rev,
    ).toBe('3-a');
    // Every device chooses the same, whatever the order it sees them in.
    const candidates = [
      { rev: '2-a', record: message(10) },
      { rev: '2-c', record: message(10) },
    ];
    expect(chooseWinner(candidates).rev).toBe(chooseWinner([...candidates].reverse()).rev);
  });
});
