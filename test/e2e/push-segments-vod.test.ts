import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'm3u8-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { publishFlv, startPublisher } from '../../src/push/index.js';
import { ossClient, presignedUrl, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { FIXTURE_360P, createChannel, publishUrl } from '../helpers/live.js';
import { ffmpegCheck, ffprobe } from '../helpers/media-tools.js';

let emu: Emulator;
const scratch = mkdtempSync(join(tmpdir(), 'emu-seg-'));
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface Playlist {
  mediaSequence: number;
  targetDuration: number;
  endList?: boolean;
  segments: Array<{ uri: string; duration: number }>;
}
const parsePlaylist = (text: string): Playlist => {
  const parser = new Parser();
  parser.push(text);
  parser.end();
  return parser.manifest as unknown as Playlist;
};

async function pushAndWait(bucket: string, channel: string, durationMs?: number): Promise<void> {
  await publishFlv({ url: publishUrl(emu, bucket, channel, { expiresIn: 600 }), flv: FIXTURE_360P, speed: 0, durationMs });
  await emu.waitForIdle(bucket, channel, { timeoutMs: 10_000 });
}

describe('segmenting a push into TS objects and playlists', () => {
  it('stores 2 s segments that ffprobe reads as h264 + aac, and a finished live playlist', async () => {
    const b = uniqueBucket('seg');
    await createChannel(emu, b, 'cam', { fragDuration: 2, fragCount: 3 });
    await pushAndWait(b, 'cam');
    const client = ossClient(emu, b);
    const listed = await client.list({ prefix: 'cam/', 'max-keys': 100 } as never, {});
    const tsKeys = listed.objects.map((o) => o.name).filter((n) => n.endsWith('.ts'));
    expect(tsKeys.length).toBe(10); // 20 s fixture, 2 s GOP, FragDuration 2
    for (const key of tsKeys) expect(key).toMatch(/^cam\/\d{13}\.ts$/);
    const rows = emu.state.segments(b);
    expect(rows.map((r) => r.key).sort()).toEqual([...tsKeys].sort());

    const playlist = parsePlaylist((await client.get('cam/playlist.m3u8')).content.toString());
    expect(playlist.segments.map((s) => s.uri)).toEqual(tsKeys.slice(-3).map((k) => k.slice(4)));
    expect(playlist.mediaSequence).toBe(7);
    expect(playlist.endList).toBe(true);
    expect(playlist.targetDuration).toBe(2);

    let total = 0;
    for (const key of tsKeys) {
      const row = rows.find((r) => r.key === key)!;
      const file = join(scratch, key.replace('/', '_'));
      writeFileSync(file, (await client.get(key)).content as Buffer);
      const probe = await ffprobe(file);
      expect(probe.errors).toBe('');
      expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
      expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 640, height: 360 });
      // ffprobe's duration spans audio too (an AAC frame may hang over the cut): within a frame or two of EXTINF.
      expect(Math.abs(probe.duration - row.durationMs / 1000)).toBeLessThan(0.12);
      total += row.durationMs / 1000;
    }
    expect(total).toBeCloseTo(20, 1);
  });

  it('plays the live playlist over HTTP with ffmpeg (stream copy, no errors)', async () => {
    const b = uniqueBucket('play');
    await createChannel(emu, b, 'cam', { fragDuration: 2, fragCount: 20 });
    await pushAndWait(b, 'cam');
    await ossClient(emu, b).putBucketACL(b, 'public-read');
    const errors = await ffmpegCheck(`${emu.endpoint}/${b}/cam/playlist.m3u8`, true);
    expect(errors).toBe('');
    const signed = await ffprobe(presignedUrl(emu, b, 'cam/playlist.m3u8'));
    expect(signed.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
  });

  it('builds VOD playlists over two separate publishes and refuses a span with none', async () => {
    const b = uniqueBucket('vod');
    await createChannel(emu, b, 'cam', { fragDuration: 2, fragCount: 3 });
    const start = Math.floor(Date.now() / 1000) - 1;
    await pushAndWait(b, 'cam', 6000);
    await pushAndWait(b, 'cam', 6000);
    const rows = emu.state.segments(b);
    expect(new Set(rows.map((r) => r.publishId)).size).toBe(2);
    const end = Math.ceil(Math.max(...rows.map((r) => r.startMs)) / 1000) + 1;
    const client = ossClient(emu, b);
    const vod = (await client.createVod('cam', 'vod.m3u8', { startTime: start, endTime: end })) as unknown as { res: { status: number } };
    expect(vod.res.status).toBe(200);
    const playlist = parsePlaylist((await client.get('cam/vod.m3u8')).content.toString());
    expect(playlist.endList).toBe(true);
    expect(playlist.segments).toHaveLength(rows.length);
    const err = await client.createVod('cam', 'none.m3u8', { startTime: start - 7200, endTime: start - 3600 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'InvalidArgument' });
  });
});

describe('the live playlist while a push runs', () => {
  it('slides a FragCount 3 window over a 30 s push (at 3x), each listed segment fetchable, ENDLIST only at the end', async () => {
    const b = uniqueBucket('window');
    await createChannel(emu, b, 'cam', { fragDuration: 2, fragCount: 3 });
    const client = ossClient(emu, b);
    const pub = startPublisher({
      url: publishUrl(emu, b, 'cam', { expiresIn: 600 }),
      flv: FIXTURE_360P,
      speed: 3,
      loop: true,
      durationMs: 30_000,
    });
    await pub.started;
    const seen = new Map<number, string>(); // media sequence -> first listed uri
    while (emu.state.isLive(b, 'cam') || seen.size === 0) {
      const res = await client.get('cam/playlist.m3u8').catch(() => undefined);
      if (res) {
        const text = (res.content as Buffer).toString();
        const playlist = parsePlaylist(text);
        if (!playlist.endList) {
          expect(playlist.segments.length).toBeLessThanOrEqual(3);
          expect(playlist.targetDuration).toBe(2);
          // Every segment a player is told about already exists.
          for (const s of playlist.segments) expect(emu.state.object(b, `cam/${s.uri}`)).toBeDefined();
          const previous = seen.get(playlist.mediaSequence);
          if (previous !== undefined) expect(previous).toBe(playlist.segments[0]!.uri);
          seen.set(playlist.mediaSequence, playlist.segments[0]!.uri);
        }
      }
      await new Promise((r) => setTimeout(r, 100));
      if (seen.size > 40) break;
    }
    await pub.done;
    await emu.waitForIdle(b, 'cam', { timeoutMs: 5000 });
    // The window moved one segment at a time: media sequences seen form a run without gaps larger than a poll misses.
    const sequences = [...seen.keys()].sort((x, y) => x - y);
    expect(sequences.length).toBeGreaterThanOrEqual(8);
    expect(sequences.at(-1)).toBeGreaterThanOrEqual(11); // 15 segments in 30 s, the last window starts at 12 (or 11 live)
    const final = parsePlaylist((await client.get('cam/playlist.m3u8')).content.toString());
    expect(final.endList).toBe(true);
    expect(final.mediaSequence).toBe(12);
    expect(final.segments).toHaveLength(3);
  }, 40_000);
});
