// Content-Type as OSS stores it (issue 11 item 9): any value as given, or derived from the key's extension when absent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { contentTypeByExtension } from '../../../src/oss/wire/content-types.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { signedRequest } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('ctype');
  await ossClient(emu).putBucket(bucket);
});
afterAll(() => emu.close());

const typeOf = async (key: string) => (await signedRequest(emu, { method: 'HEAD', bucket, key })).headers['content-type'];

describe('PutObject Content-Type', () => {
  it('stores a value without "/" as given', async () => {
    const put = await signedRequest(emu, { method: 'PUT', bucket, key: 'odd.bin', body: 'x', contentType: 'abc' });
    expect(put.status).toBe(200);
    expect(await typeOf('odd.bin')).toBe('abc');
  });

  it('stores the value ali-oss sends (mime option without "/")', async () => {
    const client = ossClient(emu, bucket);
    await client.put('by-ali', Buffer.from('x'), { headers: { 'Content-Type': 'text' } });
    expect(await typeOf('by-ali')).toBe('text');
  });

  it('derives the type from the extension when the request has none', async () => {
    for (const [key, type] of [
      ['song.mp3', 'audio/mpeg'],
      ['style.CSS', 'text/css'],
      ['page.html', 'text/html'],
      ['clip.mp4', 'video/mp4'],
      ['live/playlist.m3u8', 'application/x-mpegURL'],
      ['dir.d/no-extension', 'application/octet-stream'],
    ] as const) {
      const put = await signedRequest(emu, { method: 'PUT', bucket, key, body: 'x' });
      expect(put.status, key).toBe(200);
      expect(await typeOf(key), key).toBe(type);
    }
  });

  it('maps by the last segment only', () => {
    expect(contentTypeByExtension('a.jpg/readme')).toBe('application/octet-stream');
    expect(contentTypeByExtension('photos/a.JPG')).toBe('image/jpeg');
  });
});
