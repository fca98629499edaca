import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { untyped, type UntypedOss } from '../../helpers/ali-oss-untyped.js';
import { errorOf, signedRequest } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
let client: UntypedOss;
const HELLO_ETAG = '"5D41402ABC4B2A76B9719D911017C592"'; // MD5 of "hello": oss2's test_put_symlink expects the target's

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('link');
  client = untyped(ossClient(emu, bucket));
  await client.putBucket(bucket);
});
afterAll(() => emu.close());

describe('PutSymlink / GetSymlink and reads through a symlink', () => {
  it("reads the target's bytes, length and ETag with the symlink's own metadata and type", async () => {
    await client.put('live/cam/playlist.m3u8', Buffer.from('hello'), { meta: { from: 'target' } } as never);
    await client.putSymlink('latest.m3u8', 'live/cam/playlist.m3u8', { meta: { from: 'link' } } as never);
    expect((await client.getSymlink('latest.m3u8')).targetName).toBe('live/cam/playlist.m3u8');
    const got = await client.get('latest.m3u8');
    expect((got.content as Buffer).toString()).toBe('hello');
    expect(got.res.headers).toMatchObject({
      etag: HELLO_ETAG,
      'x-oss-object-type': 'Symlink',
      'x-oss-meta-from': 'link',
      'content-length': '5',
    });
    const head = await client.head('latest.m3u8');
    expect(head.res.headers).toMatchObject({ etag: HELLO_ETAG, 'content-length': '5', 'x-oss-meta-from': 'link' });
    const range = await client.get('latest.m3u8', { headers: { Range: 'bytes=1-3' } });
    expect((range.content as Buffer).toString()).toBe('ell');
  });

  it('follows the target as it changes, and takes x-oss-tagging', async () => {
    await client.put('t.txt', Buffer.from('one'));
    await client.putSymlink('l.txt', 't.txt', { headers: { 'x-oss-tagging': 'k=v' } } as never);
    expect((await client.getObjectTagging('l.txt')).tag).toEqual({ k: 'v' });
    await client.put('t.txt', Buffer.from('two!'));
    expect(((await client.get('l.txt')).content as Buffer).toString()).toBe('two!');
  });

  it('encodes odd target names both ways', async () => {
    await client.put('dir/a b+c%.txt', Buffer.from('odd'));
    await client.putSymlink('odd-link', 'dir/a b+c%.txt');
    expect((await client.getSymlink('odd-link')).targetName).toBe('dir/a b+c%.txt');
    expect(((await client.get('odd-link')).content as Buffer).toString()).toBe('odd');
  });

  it('answers SymlinkTargetNotExist for a dangling link, NoSuchKey for a missing link, NotSymlink for a plain object', async () => {
    await client.putSymlink('dangling', 'nowhere');
    const dangling = await signedRequest(emu, { method: 'GET', bucket, key: 'dangling' });
    expect(errorOf(dangling)).toMatchObject({ status: 404, code: 'SymlinkTargetNotExist' });
    const missing = await signedRequest(emu, { method: 'GET', bucket, key: 'no-link', query: [['symlink', '']] });
    expect(errorOf(missing)).toMatchObject({ status: 404, code: 'NoSuchKey' });
    const plain = await signedRequest(emu, { method: 'GET', bucket, key: 't.txt', query: [['symlink', '']] });
    expect(errorOf(plain)).toMatchObject({ status: 400, code: 'NotSymlink' });
    const noTarget = await signedRequest(emu, { method: 'PUT', bucket, key: 'x', query: [['symlink', '']] });
    expect(errorOf(noTarget)).toMatchObject({ status: 400, code: 'InvalidArgument' });
  });

  it('is deleted like any object, leaving its target', async () => {
    await client.delete('latest.m3u8');
    expect(emu.state.object(bucket, 'latest.m3u8')).toBeUndefined();
    expect(emu.state.object(bucket, 'live/cam/playlist.m3u8')).toBeDefined();
  });
});
