// GetSignedPlaylist (`?x-oss-process=hls/sign`): one presigned playlist URL plays a private bucket end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { signedPlaylistUrl } from '../../../src/oss/live-channel/signed-play-url.js';
import { ossClient, presignedUrl, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { errorOf, signedRequest } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
const PLAYLIST = [
  '#EXTM3U',
  '#EXT-X-VERSION:3',
  '#EXT-X-MEDIA-SEQUENCE:0',
  '#EXT-X-TARGETDURATION:2',
  '#EXTINF:2.000,',
  '100.ts',
  '#EXTINF:2.000,',
  'sub/200%20a.ts',
  '#EXT-X-ENDLIST',
  '',
].join('\n');

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('hlssign');
  const client = ossClient(emu, bucket);
  await client.putBucket(bucket); // private
  await client.put('cam/playlist.m3u8', Buffer.from(PLAYLIST));
  await client.put('cam/100.ts', Buffer.from('segment one'));
  await client.put('cam/sub/200 a.ts', Buffer.from('segment two'));
});
afterAll(() => emu.close());

describe('GetSignedPlaylist (x-oss-process=hls/sign)', () => {
  it('signs every segment URI so an unsigned player can fetch them from a private bucket', async () => {
    // ali-oss's own signatureUrl with `process` (the SDK way to ask for it).
    const url = presignedUrl(emu, bucket, 'cam/playlist.m3u8', { process: 'hls/sign', expires: 600 });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-mpegURL');
    const text = await res.text();
    const uris = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(uris).toHaveLength(2);
    for (const uri of uris) expect(uri).toMatch(/\?OSSAccessKeyId=[^&]+&Expires=\d+&Signature=/);
    const bodies = await Promise.all(uris.map(async (uri) => (await fetch(new URL(uri, url))).text()));
    expect(bodies).toEqual(['segment one', 'segment two']);
    // Without the signature a segment stays private.
    expect((await fetch(new URL(uris[0]!.split('?')[0]!, url))).status).toBe(403);
  });

  it("the emulator's own signed play URL (sign-url, console, /-/channels) is the same operation", async () => {
    const url = signedPlaylistUrl(
      emu.endpoint,
      { accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret },
      bucket,
      'cam/playlist.m3u8',
      Math.floor(Date.now() / 1000) + 60,
    );
    const text = await (await fetch(url)).text();
    const first = text.split('\n').find((l) => l.endsWith('.ts') || l.includes('.ts?'))!;
    expect((await fetch(new URL(first, url))).status).toBe(200);
  });

  it('refuses a request signed in the Authorization header (EC 0044-00000410) and an anonymous one', async () => {
    const res = await signedRequest(emu, { method: 'GET', bucket, key: 'cam/playlist.m3u8', query: [['x-oss-process', 'hls/sign']] });
    expect(errorOf(res)).toMatchObject({ status: 403, code: 'AccessDenied', ec: '0044-00000410' });
    const anonymous = await fetch(`${emu.endpoint}/${bucket}/cam/playlist.m3u8?x-oss-process=hls/sign`);
    expect(anonymous.status).toBe(403);
  });

  it('applies to playlists only', async () => {
    const url = presignedUrl(emu, bucket, 'cam/100.ts', { process: 'hls/sign', expires: 600 });
    const res = await fetch(url);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>InvalidArgument</Code>');
  });
});
