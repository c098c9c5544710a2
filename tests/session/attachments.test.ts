/**
 * Attachments in the core: what the provider receives, what is stored (images fitted, never a
 * data URL in a row), the limits, quota, and that no file outlives its message.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewAttachment, SendReceipt } from '../../src/shared/protocol';
import { headerScaler, pngBytes, pngFile } from '../fixtures/images';
import { makeHarness, type Harness } from './harness';

let harness: Harness;
const originalPut = IDBObjectStore.prototype.put;
afterEach(async () => {
  IDBObjectStore.prototype.put = originalPut;
  await harness?.close();
});

const image = (name = 'photo.png', width = 640, height = 480): NewAttachment => ({
  name,
  mime: 'image/png',
  data: pngFile(width, height),
});
const textFile: NewAttachment = {
  name: 'notes.md',
  mime: 'text/markdown',
  data: new Blob(['# Notes\nBuy milk.'], { type: 'text/markdown' }),
};

async function start(): Promise<string> {
  harness = await makeHarness({ imageScaler: headerScaler });
  return harness.conversation('mock-echo');
}

async function sent(
  result: Promise<{ ok: true; value: SendReceipt } | { ok: false; error: { message: string } }>,
): Promise<SendReceipt> {
  const receipt = await result;
  if (!receipt.ok) throw new Error(receipt.error.message);
  await harness.core.runs.settle();
  return receipt.value;
}

async function attachmentRows(): Promise<number> {
  const database = await openDB(harness.databaseName);
  const count = await database.count('attachments');
  database.close();
  return count;
}

/** The content parts of the last user turn with parts in the last chat request (a resume may add a plain instruction after it). */
function lastUserParts(): Array<{ type: string; text?: string; image_url?: { url: string } }> {
  const messages = harness.mock.chatRequests().at(-1)!.body.messages;
  return messages
    .filter((message: { role: string; content: unknown }) => message.role === 'user' && Array.isArray(message.content))
    .at(-1).content;
}

describe('attachments in the core', () => {
  it('an image and a text file reach the provider as an image part and a text part with its name', async () => {
    const id = await start();
    const receipt = await sent(harness.core.runs.send(id, 'What is in these?', [image(), textFile]));

    const parts = lastUserParts();
    expect(parts.map((part) => part.type)).toEqual(['text', 'image_url', 'text']);
    expect(parts[0].text).toBe('What is in these?');
    expect(parts[1].image_url!.url).toMatch(/^data:image\/png;base64,/);
    expect(atob(parts[1].image_url!.url.split(',')[1]).charCodeAt(1)).toBe(0x50); // the PNG itself
    expect(parts[2].text).toBe('<file name="notes.md">\n# Notes\nBuy milk.\n</file>');

    // Stored as references and files, never as data URLs.
    const user = await harness.core.repository.getMessage(receipt.userMessageId);
    expect(user?.attachments?.map(({ name, mime, kind, width, height }) => ({ name, mime, kind, width, height }))).toEqual([
      { name: 'photo.png', mime: 'image/png', kind: 'image', width: 640, height: 480 },
      { name: 'notes.md', mime: 'text/markdown', kind: 'text', width: undefined, height: undefined },
    ]);
    expect(JSON.stringify(user)).not.toContain('base64');
    expect(await attachmentRows()).toBe(2);
  });

  it('a large image is stored scaled to 2048 px on its long side; the original is not kept', async () => {
    const id = await start();
    const receipt = await sent(harness.core.runs.send(id, '', [image('wide.png', 4096, 1024)]));
    const [reference] = (await harness.core.repository.getMessage(receipt.userMessageId))!.attachments!;
    expect(reference).toMatchObject({ width: 2048, height: 512 });
    const stored = await harness.core.repository.getAttachment(reference.id);
    expect(await stored!.blob.text()).toBe('fitted:2048x512');
    expect(reference.size).toBe(stored!.blob.size);
  });

  it('refuses what cannot be sent, with the reason, storing nothing', async () => {
    const id = await start();
    const pdf = {
      name: 'paper.pdf',
      mime: 'application/pdf',
      data: new Blob(['%PDF-1.7\n\u0000\u0001binary'], { type: 'application/pdf' }),
    };
    const disguised = { name: 'photo.png', mime: 'image/png', data: new Blob(['not a png at all'], { type: 'image/png' }) };
    const binaryAsText = { name: 'notes.txt', mime: 'text/plain', data: new Blob([new Uint8Array([0, 1, 2, 3, 0, 255])]) };
    const huge = { name: 'big.png', mime: 'image/png', data: new Blob([pngBytes(10, 10), new Uint8Array(21 * 1024 * 1024)]) };
    const cases: Array<[NewAttachment[], RegExp]> = [
      [[pdf], /can't send this kind of file \(“paper.pdf”\)/],
      [[disguised], /only PNG, JPEG, WebP and GIF images/],
      [[binaryAsText], /can't send this kind of file \(“notes.txt”\)/],
      [[huge], /files up to 20 MB/],
      [Array.from({ length: 11 }, () => textFile), /At most 10 files/],
    ];
    for (const [files, reason] of cases) {
      const result = await harness.core.runs.send(id, 'Look', files);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(reason);
    }
    expect(await harness.messages(id)).toEqual([]);
    expect(await attachmentRows()).toBe(0);
  });

  it('resume and regenerate send the image again; an edit carries the original’s files', async () => {
    harness = await makeHarness({ imageScaler: headerScaler });
    const id = await harness.conversation('mock-slow:tokens=40:delay=5');
    const first = await harness.core.runs.send(id, 'Describe it', [image()]);
    if (!first.ok) throw new Error(first.error.message);
    await harness.waitForEvent((event) => event.type === 'message-delta' && event.messageId === first.value.assistantMessageId);
    await harness.core.runs.stop(id);
    await sent(harness.core.runs.resume(id));
    expect(lastUserParts().map((part) => part.type)).toEqual(['text', 'image_url']);

    await sent(harness.core.runs.regenerate(id, first.value.assistantMessageId));
    expect(lastUserParts().map((part) => part.type)).toEqual(['text', 'image_url']);

    const edited = await sent(harness.core.runs.edit(id, first.value.userMessageId, 'Describe it briefly'));
    expect(lastUserParts().map((part) => part.type)).toEqual(['text', 'image_url']);
    const copy = (await harness.core.repository.getMessage(edited.userMessageId))!.attachments![0];
    const original = (await harness.core.repository.getMessage(first.value.userMessageId))!.attachments![0];
    expect(copy.id).not.toBe(original.id);
    expect(await attachmentRows()).toBe(2);
  });

  it('no file outlives its message: deleting a message or the conversation deletes its files', async () => {
    const id = await start();
    const first = await sent(harness.core.runs.send(id, 'one', [image(), textFile]));
    await sent(harness.core.runs.send(id, 'two', [image('second.png')]));
    expect(await attachmentRows()).toBe(3);

    // The second question and its reply go as a subtree of the first reply.
    await harness.core.conversations.deleteMessage(id, first.assistantMessageId);
    expect(await attachmentRows()).toBe(2);
    await harness.core.conversations.delete(id);
    expect(await attachmentRows()).toBe(0);
  });

  it('a full disk fails the send as "storage full", storing nothing and changing nothing older', async () => {
    const id = await start();
    await sent(harness.core.runs.send(id, 'earlier'));
    const before = await harness.messages(id);
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'attachments') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return originalPut.apply(this, args);
    };
    const result = await harness.core.runs.send(id, 'with a photo', [image()]);
    IDBObjectStore.prototype.put = originalPut;

    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({ kind: 'storage', message: expect.stringMatching(/storage for Parley is full/) });
    expect(await harness.messages(id)).toEqual(before);
    expect(await attachmentRows()).toBe(0);
  });
});
