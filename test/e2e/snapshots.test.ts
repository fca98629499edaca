import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { NO_FFMPEG_WARNING } from '../../src/live/snapshot/snapshot-service.js';
import { publishFlv } from '../../src/push/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { FIXTURE_360P, publishUrl } from '../helpers/live.js';
import { ffprobe } from '../helpers/media-tools.js';

const scratch = mkdtempSync(join(tmpdir(), 'emu-snapshot-'));
const emulators: Emulator[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  rmSync(scratch, { recursive: true, force: true });
});

/** An emulator whose log lines (warn and up) the test can read. */
async function start(options: { ffmpegPath?: string } = {}) {
  const lines: Array<{ level: number; msg: string } & Record<string, unknown>> = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const emu = await startTestEmulator({ ...options, logger });
  emulators.push(emu);
  return { emu, lines };
}

interface Snapshot {
  RoleName: string;
  DestBucket: string;
  NotifyTopic: string;
  Interval: number;
}

/** Source bucket + channel with a Snapshot block, through ali-oss putChannel (its conf is turned into XML as is). */
async function createSnapshotChannel(emu: Emulator, bucket: string, channel: string, snapshot: Snapshot): Promise<void> {
  const client = ossClient(emu, bucket);
  await client.putBucket(bucket);
  await client.putChannel(channel, {
    Description: 'snapshots',
    Status: 'enabled',
    Target: { Type: 'HLS', FragDuration: 2, FragCount: 3, PlaylistName: 'playlist.m3u8' },
    Snapshot: snapshot,
  } as never);
  expect(emu.state.channel(bucket, channel)?.snapshot).toEqual({
    roleName: snapshot.RoleName,
    destBucket: snapshot.DestBucket,
    notifyTopic: snapshot.NotifyTopic,
    interval: snapshot.Interval,
  });
}

/** Pushes the 20 s 640x360 fixture (keyframe every 2 s) as fast as possible; resolves once the publish is closed. */
async function push(emu: Emulator, bucket: string, channel: string): Promise<void> {
  const result = await publishFlv({ url: publishUrl(emu, bucket, channel, { expiresIn: 600 }), flv: FIXTURE_360P, speed: 0 });
  expect(result.tagsSent).toBeGreaterThan(500);
  // The session releases the channel only after its segments AND its snapshots are stored (7 ffmpeg runs: slow on a loaded machine).
  await emu.waitForIdle(bucket, channel, { timeoutMs: 60_000 });
}

async function listKeys(emu: Emulator, bucket: string, prefix: string): Promise<string[]> {
  const listed = await ossClient(emu, bucket).list({ prefix, 'max-keys': 1000 } as never, {});
  return (listed.objects ?? []).map((o) => o.name);
}

describe('LiveChannel snapshots with ffmpeg', () => {
  it('stores one JPEG per Interval (3 s) in DestBucket: 640x360 mjpeg, keys <channel>/<unix-ms>.jpg', async () => {
    const { emu, lines } = await start();
    const src = uniqueBucket('src');
    const dest = uniqueBucket('snaps');
    await ossClient(emu, dest).putBucket(dest);
    await createSnapshotChannel(emu, src, 'cam', { RoleName: 'AliyunOSSRole', DestBucket: dest, NotifyTopic: 'topic', Interval: 3 });
    await push(emu, src, 'cam');

    const keys = (await listKeys(emu, dest, '')).sort();
    // 20 s of stream, Interval 3 -> ceil(20 / 3) = 7 intervals, each holding a keyframe (they come every 2 s).
    expect(keys).toHaveLength(7);
    for (const key of keys) expect(key).toMatch(/^cam\/\d{13}\.jpg$/);
    // The keyframes chosen (last of each interval) are at 2, 4, 8, 10, 14, 16, 18 s of stream time.
    const times = keys.map((k) => Number(k.slice(4, -4)));
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([2000, 4000, 2000, 4000, 2000, 2000]);
    // Same timeline as the segments: the first snapshot is 2 s after the first segment starts.
    const firstSegment = emu.state.segments(src)[0]!;
    expect(times[0]! - firstSegment.startMs).toBe(2000);

    const client = ossClient(emu, dest);
    for (const key of keys) {
      const got = await client.get(key);
      const bytes = got.content as Buffer;
      expect((got.res.headers as Record<string, string>)['content-type']).toBe('image/jpeg');
      expect(bytes.subarray(0, 2).toString('hex')).toBe('ffd8');
      const file = join(scratch, key.replace('/', '_'));
      writeFileSync(file, bytes);
      const probe = await ffprobe(file);
      expect(probe.errors).toBe('');
      expect(probe.streams).toHaveLength(1);
      expect(probe.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 640, height: 360 });
    }
    // Nothing went to the source bucket but the HLS output.
    expect((await listKeys(emu, src, '')).filter((k) => k.endsWith('.jpg'))).toEqual([]);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  }, 90_000);

  it('a DestBucket that does not exist: one warning, no snapshot, the push and its segments are fine', async () => {
    const { emu, lines } = await start();
    const src = uniqueBucket('src');
    const dest = uniqueBucket('gone');
    await createSnapshotChannel(emu, src, 'cam', { RoleName: 'r', DestBucket: dest, NotifyTopic: 't', Interval: 1 });
    await push(emu, src, 'cam');
    expect(emu.state.bucket(dest)).toBeUndefined();
    expect((await listKeys(emu, src, 'cam/')).filter((k) => k.endsWith('.ts'))).toHaveLength(10);
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings.map((w) => w.msg)).toEqual(['snapshot DestBucket does not exist; skipping snapshots']);
    expect(warnings[0]).toMatchObject({ destBucket: dest, channel: 'cam' });
  });
});

describe('LiveChannel snapshots without ffmpeg', () => {
  it('ffmpegPath pointing at a missing file: exactly one warning over two publishes, no snapshots, pushes succeed', async () => {
    const missing = join(scratch, 'no-such-dir', 'ffmpeg');
    const { emu, lines } = await start({ ffmpegPath: missing });
    const src = uniqueBucket('src');
    const dest = uniqueBucket('snaps');
    await ossClient(emu, dest).putBucket(dest);
    await createSnapshotChannel(emu, src, 'one', { RoleName: 'r', DestBucket: dest, NotifyTopic: 't', Interval: 1 });
    await push(emu, src, 'one');
    await push(emu, src, 'one');

    expect(await listKeys(emu, dest, '')).toEqual([]);
    // The pushes themselves were recorded and segmented as usual: 10 segments per publish, two closed records.
    expect((await listKeys(emu, src, 'one/')).filter((k) => k.endsWith('.ts'))).toHaveLength(20);
    expect(emu.state.history(src, 'one', 10).filter((r) => r.endMs !== undefined)).toHaveLength(2);

    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings.map((w) => w.msg)).toEqual([NO_FFMPEG_WARNING]);
    expect(warnings[0]).toMatchObject({ tried: missing, from: 'FFMPEG_PATH' });
  });
});
