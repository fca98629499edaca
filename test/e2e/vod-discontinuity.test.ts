// A VOD playlist spanning several publishes marks each boundary with #EXT-X-DISCONTINUITY, so ffmpeg and players
// reset their timestamps there instead of reporting corrupt packets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { publishFlv } from '../../src/push/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { createChannel, FIXTURE_360P, publishUrl, waitFor } from '../helpers/live.js';
import { ffmpegCheck } from '../helpers/media-tools.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

describe('VOD playlists across publishes', () => {
  it('puts #EXT-X-DISCONTINUITY at each publish boundary and ffmpeg decodes the whole VOD cleanly', async () => {
    const bucket = uniqueBucket('disc');
    await createChannel(emu, bucket, 'cam', { acl: 'public-read', fragDuration: 2 });
    const startSec = Math.floor(Date.now() / 1000) - 1;
    for (let i = 1; i <= 2; i++) {
      await publishFlv({ url: publishUrl(emu, bucket, 'cam', { expiresIn: 600 }), flv: FIXTURE_360P, speed: 0, durationMs: 6000 });
      await waitFor(() => (emu.state.history(bucket, 'cam', 10).length === i ? true : undefined), 10_000, `publish ${i} recorded`);
    }
    const segments = emu.state.segments(bucket);
    const endSec = Math.ceil(Math.max(...segments.map((s) => s.startMs)) / 1000) + 1;
    const client = ossClient(emu, bucket);
    await client.createVod('cam', 'vod.m3u8', { startTime: startSec, endTime: endSec });
    const text = await (await fetch(`${emu.endpoint}/${bucket}/cam/vod.m3u8`)).text();
    const lines = text.split('\n');
    expect(lines.filter((l) => l === '#EXT-X-DISCONTINUITY')).toHaveLength(1);
    // The tag sits right before the first segment of the second publish.
    const secondPublish = segments.filter((s) => s.publishId !== segments[0]!.publishId)[0]!;
    const at = lines.indexOf('#EXT-X-DISCONTINUITY');
    expect(lines[at + 2]).toBe(secondPublish.key.slice('cam/'.length));
    expect(await ffmpegCheck(`${emu.endpoint}/${bucket}/cam/vod.m3u8`)).toBe('');
  }, 60_000);
});
