import { describe, expect, it } from 'vitest';
import { checkMessageAttachments, classifyAttachment, scaledSize } from '../../src/shared/attachments';
import { pngBytes } from '../fixtures/images';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('what a file is, by its type and its bytes', () => {
  it('an image is what its bytes say, whatever its name or declared type', () => {
    expect(classifyAttachment('photo', '', 100, pngBytes(10, 10))).toEqual({ ok: true, kind: 'image', mime: 'image/png' });
    expect(classifyAttachment('x.jpg', 'image/jpeg', 100, new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toMatchObject({
      mime: 'image/jpeg',
    });
    expect(classifyAttachment('a.gif', 'image/gif', 100, bytes('GIF89a....'))).toMatchObject({ mime: 'image/gif' });
    expect(classifyAttachment('a.webp', 'image/webp', 100, bytes('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toMatchObject({
      mime: 'image/webp',
    });
  });

  it('text is declared as text (or not at all) and reads as UTF-8 text', () => {
    expect(classifyAttachment('data.csv', 'text/csv', 9, bytes('a,b\n1,2\n'))).toEqual({
      ok: true,
      kind: 'text',
      mime: 'text/csv',
    });
    expect(classifyAttachment('main.rs', '', 20, bytes('fn main() { println!("héllo"); }'))).toEqual({
      ok: true,
      kind: 'text',
      mime: 'text/plain',
    });
    expect(classifyAttachment('x.json', 'application/json', 2, bytes('{}'))).toMatchObject({ ok: true, kind: 'text' });
    // A character cut at the end of the sample is still text.
    expect(classifyAttachment('é.txt', 'text/plain', 3, bytes('aé').subarray(0, 2))).toMatchObject({ ok: true, kind: 'text' });
  });

  it('refuses the rest with a reason a person can act on', () => {
    expect(classifyAttachment('notes.txt', 'text/plain', 6, new Uint8Array([0, 1, 2, 3, 0, 255]))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/can't send this kind of file/),
    });
    expect(classifyAttachment('paper.pdf', 'application/pdf', 9, bytes('%PDF-1.7 text'))).toMatchObject({ ok: false });
    expect(classifyAttachment('fake.png', 'image/png', 9, bytes('hello'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/only PNG, JPEG, WebP and GIF/),
    });
    expect(classifyAttachment('raw.tiff', 'image/tiff', 9, new Uint8Array([0x49, 0x49, 0x2a, 0]))).toMatchObject({ ok: false });
    expect(classifyAttachment('big.png', 'image/png', 21 * 1024 * 1024, pngBytes(1, 1))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/is 21 MB; files up to 20 MB/),
    });
    expect(classifyAttachment('log.txt', 'text/plain', 3 * 1024 * 1024, bytes('line\n'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/text files up to 2 MB/),
    });
  });

  it('limits a message to ten files and 50 MB', () => {
    expect(checkMessageAttachments(Array.from({ length: 10 }, () => ({ size: 1 })))).toBeUndefined();
    expect(checkMessageAttachments(Array.from({ length: 11 }, () => ({ size: 1 })))).toMatch(/At most 10 files/);
    expect(checkMessageAttachments([{ size: 30 * 1024 * 1024 }, { size: 30 * 1024 * 1024 }])).toMatch(
      /60 MB; one message can carry 50 MB/,
    );
  });
});

describe('scaling', () => {
  it('keeps the aspect and puts the long side at 2048 px; smaller images stay as they are', () => {
    expect(scaledSize(4000, 3000)).toEqual({ width: 2048, height: 1536 });
    expect(scaledSize(1000, 5000)).toEqual({ width: 410, height: 2048 });
    expect(scaledSize(2048, 100)).toEqual({ width: 2048, height: 100 });
    expect(scaledSize(640, 480)).toEqual({ width: 640, height: 480 });
    expect(scaledSize(100_000, 1)).toEqual({ width: 2048, height: 1 });
  });
});
