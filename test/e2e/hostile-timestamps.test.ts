// Issue 14 items 1 and 8: publishers whose timestamps freeze, run backwards or jump. Real RTMP publishers (our pusher
// with `retime`), a real emulator, segments read back through the store and ali-oss.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { publishFlv } from '../../src/push/index.js';
import type { SegmentInfo } from '../../src/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { FIXTURE_360P, createChannel, publishUrl } from '../helpers/live.js';

const SEGMENT_CAP = 192 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
let emu: Emulator;

beforeAll(async () => {
  emu = await startTestEmulator({ segmentMaxBytes: SEGMENT_CAP });
});
afterAll(() => emu.close());

async function push(
  bucket: string,
  channel: string,
  retime?: (ts: number, type: string, index: number) => number,
  speed = 0,
): Promise<void> {
  await publishFlv({ url: publishUrl(emu, bucket, channel, { expiresIn: 600 }), flv: FIXTURE_360P, speed, retime });
  await emu.waitForIdle(bucket, channel, { timeoutMs: 20_000 });
}

const segmentsOf = (bucket: string): SegmentInfo[] => emu.state.segments(bucket);

async function sizesOf(bucket: string, segments: SegmentInfo[]): Promise<number[]> {
  const client = ossClient(emu, bucket);
  return Promise.all(segments.map(async (s) => Number((await client.head(s.key)).res.headers['content-length' as never])));
}

describe('hostile publisher timestamps', () => {
  it('frozen timestamps: the open segment is still cut (bounded bytes, sane durations), not held until the end', async () => {
    const b = uniqueBucket('frozen');
    await createChannel(emu, b, 'cam', { fragDuration: 2, fragCount: 50 });
    await push(b, 'cam', () => 5000);
    const segments = segmentsOf(b);
    expect(segments.length).toBeGreaterThanOrEqual(5);
    const sizes = await sizesOf(b, segments);
    // A segment may exceed the cap only up to the next keyframe, and never twice the cap (plus TS overhead).
    for (const size of sizes) expect(size).toBeLessThan(2.2 * SEGMENT_CAP);
    for (const s of segments) expect(s.durationMs).toBeLessThan(10_000);
  }, 60_000);

  it('a segment is cut at a keyframe once it holds the byte cap, even within FragDuration', async () => {
    const b = uniqueBucket('bytecap');
    await createChannel(emu, b, 'cam', { fragDuration: 100, fragCount: 50 });
    await push(b, 'cam');
    const segments = segmentsOf(b);
    expect(segments.length).toBeGreaterThanOrEqual(4); // 2.4 MB of media at a 192 KiB cap, cut on 2 s keyframes
    for (const size of await sizesOf(b, segments)) expect(size).toBeLessThan(2.2 * SEGMENT_CAP);
  }, 60_000);

  it('backwards timestamps: each jump back is a discontinuity with sane durations, not one endless segment', async () => {
    const b = uniqueBucket('backwards');
    await createChannel(emu, b, 'cam', { fragDuration: 5, fragCount: 50 });
    await push(b, 'cam', (ts) => ts % 3000); // every 3 s the encoder's clock goes back to 0
    const segments = segmentsOf(b);
    expect(segments.length).toBeGreaterThanOrEqual(5);
    for (const s of segments) expect(s.durationMs).toBeLessThanOrEqual(5_200);
    const playlist = (await ossClient(emu, b).get('cam/playlist.m3u8')).content.toString();
    expect(playlist).toContain('#EXT-X-DISCONTINUITY');
    expect(playlist).toContain('#EXT-X-ENDLIST');
  }, 60_000);

  it('a 24-day jump inside a publish is a discontinuity: names follow the emulator clock, no huge segment, later publishes unaffected', async () => {
    const b = uniqueBucket('jump');
    await createChannel(emu, b, 'cam', { fragDuration: 2, fragCount: 50 });
    const before = Date.now();
    await push(b, 'cam', (ts) => (ts >= 6000 ? ts + 24 * DAY_MS : ts));
    const first = segmentsOf(b);
    expect(first.length).toBeGreaterThanOrEqual(8);
    for (const s of first) {
      expect(s.durationMs).toBeLessThanOrEqual(4_000); // not 4157 s
      expect(s.startMs).toBeLessThan(Date.now() + 60_000); // not 24 days ahead
    }
    const playlist = (await ossClient(emu, b).get('cam/playlist.m3u8')).content.toString();
    expect(playlist.match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(1);

    await push(b, 'cam'); // a clean publish afterwards
    const all = segmentsOf(b);
    const second = all.slice(first.length);
    expect(second.length).toBeGreaterThanOrEqual(8);
    for (const s of second) expect(s.startMs).toBeLessThan(Date.now() + 60_000);
    // A VOD playlist over real time finds both publishes.
    const start = Math.floor(before / 1000) - 1;
    const end = Math.ceil(Date.now() / 1000) + 60;
    const client = ossClient(emu, b) as unknown as { getChannelVodPlaylist?: (...args: unknown[]) => Promise<{ res: { data: Buffer } }> };
    const vod = await client.getChannelVodPlaylist?.('cam', { startTime: start, endTime: end });
    if (vod) expect(String(vod.res.data)).toContain(second[0]!.key.slice(4));
  }, 90_000);

  it('an RTMP timestamp wrap (2^32 ms) is continuous: no discontinuity, normal segments', async () => {
    const b = uniqueBucket('wrap');
    await createChannel(emu, b, 'cam', { fragDuration: 2, fragCount: 50 });
    await push(b, 'cam', (ts) => (ts + 2 ** 32 - 7000) % 2 ** 32);
    const segments = segmentsOf(b);
    expect(segments.length).toBe(10);
    const playlist = (await ossClient(emu, b).get('cam/playlist.m3u8')).content.toString();
    expect(playlist).not.toContain('#EXT-X-DISCONTINUITY');
  }, 60_000);
});
