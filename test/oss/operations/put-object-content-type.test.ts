// Content-Type as OSS stores it: any value as given; without one application/octet-stream (the SDKs, not OSS, pick a
// type from the extension).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, presignedUrl, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
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

  it('stores application/octet-stream when the request has none, whatever the extension', async () => {
    for (const key of ['photo.jpg', 'song.mp3', 'page.html', 'live/playlist.m3u8', 'dir.d/no-extension']) {
      const put = await signedRequest(emu, { method: 'PUT', bucket, key, body: 'x' });
      expect(put.status, key).toBe(200);
      expect(await typeOf(key), key).toBe('application/octet-stream');
    }
  });

  it('a presigned PUT stores the Content-Type it was signed with, or none (oss2 test_put_object_with_sign_url)', async () => {
    const plain = presignedUrl(emu, bucket, 'signed.jpg', { method: 'PUT', expires: 3600 });
    expect((await fetch(plain, { method: 'PUT', body: Buffer.from('jpeg bytes') })).status).toBe(200);
    expect(await typeOf('signed.jpg')).toBe('application/octet-stream');
    const typed = presignedUrl(emu, bucket, 'signed.jpg', { method: 'PUT', expires: 3600, 'Content-Type': 'image/jpeg' });
    const wrongType = await fetch(typed, { method: 'PUT', body: Buffer.from('jpeg bytes') });
    expect(wrongType.status).toBe(403);
    const put = await fetch(typed, { method: 'PUT', body: Buffer.from('jpeg bytes'), headers: { 'content-type': 'image/jpeg' } });
    expect(put.status).toBe(200);
    expect(await typeOf('signed.jpg')).toBe('image/jpeg');
  });
});
