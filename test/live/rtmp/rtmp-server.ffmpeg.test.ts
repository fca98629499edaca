import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { RtmpServer } from '../../../src/live/rtmp/index.js';
import { ffmpegPush } from '../../helpers/media-tools.js';
import { FIXTURE_360P, FIXTURE_360P_PATH, fileMedia, recordingHooks, startServer } from '../../helpers/rtmp-server.js';

const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';
const hasFfmpeg = spawnSync(FFMPEG, ['-version']).status === 0;

const opened: RtmpServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

const QUERY = 'OSSAccessKeyId=a&Expires=1&Signature=ab%2Bc%3D';

describe.skipIf(!hasFfmpeg)('ffmpeg -> our RTMP server', () => {
  it('splits mybucket/live/chan like ffmpeg sends it, keeps the query raw, and receives the stream', async () => {
    const { hooks, requests, publishes } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    const { code, stderr } = await ffmpegPush(`rtmp://127.0.0.1:${port}/mybucket/live/chan?${QUERY}`, FIXTURE_360P_PATH, 3);
    expect(code, stderr).toBe(0);
    expect(requests[0]).toMatchObject({ app: 'mybucket/live', streamName: 'chan', rawQuery: QUERY, remoteAddress: '127.0.0.1' });
    expect(requests[0]!.tcUrl).toBe(`rtmp://127.0.0.1:${port}/mybucket/live`);
    const rec = publishes[0]!;
    expect(await rec.ended).toBe('closed');
    expect(rec.ends).toEqual(['closed']);
    const video = rec.packets.filter((p) => p.type === 'video');
    expect(video.length).toBeGreaterThanOrEqual(70); // 3 s at 25 fps, give or take the cut
    expect(video[0]!.data.subarray(0, 2)).toEqual(Buffer.from([0x17, 0x00])); // AVC sequence header first
    // ffmpeg -c copy re-muxes the same packets: the bodies must match the file's, byte for byte.
    const fileVideo = fileMedia(FIXTURE_360P).filter((p) => p.type === 'video');
    expect(video.slice(0, 50).map((p) => p.data)).toEqual(fileVideo.slice(0, 50).map((p) => p.data));
  }, 30_000);

  it('refused: ffmpeg prints our description as "Server error" and exits non-zero', async () => {
    const description = 'The request signature we calculated does not match the signature you provided.';
    const { hooks, publishes } = recordingHooks(() => ({ code: 'NetStream.Publish.Unauthorized', description }));
    const { port } = await startServer(hooks, opened);
    const { code, stderr } = await ffmpegPush(`rtmp://127.0.0.1:${port}/mybucket/live/chan?${QUERY}`, FIXTURE_360P_PATH, 3);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`Server error: ${description}`);
    expect(publishes).toHaveLength(0);
  }, 30_000);
});
