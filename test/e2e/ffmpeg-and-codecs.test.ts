import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { publishFlv } from '../../src/push/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { createChannel, publishUrl, waitFor } from '../helpers/live.js';
import { ffmpegPush, ffprobe } from '../helpers/media-tools.js';

const run = promisify(execFile);
const FIXTURE = join(import.meta.dirname, '../../fixtures/640x360-25fps-h264-aac.flv');
const scratch = mkdtempSync(join(tmpdir(), 'emu-codecs-'));
let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('ffmpeg as the pusher, and codecs OSS does not keep', () => {
  it('records an ffmpeg push on the HTTP port (signed URL with %2B/%2F/%3D in the query)', async () => {
    const b = uniqueBucket('ffmpeg');
    await createChannel(emu, b, 'cam', { fragDuration: 1 });
    const { code, stderr } = await ffmpegPush(publishUrl(emu, b, 'cam', { expiresIn: 600, port: 'http' }), FIXTURE, 3);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    await waitFor(() => (emu.state.history(b, 'cam', 10).length === 1 ? true : undefined), 5000, 'history record');
    const segments = emu.state.segments(b);
    expect(segments.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses ffmpeg with the OSS message it prints as a server error', async () => {
    const b = uniqueBucket('ffrefuse');
    await createChannel(emu, b, 'cam');
    await ossClient(emu, b).putChannelStatus('cam', 'disabled');
    const { code, stderr } = await ffmpegPush(publishUrl(emu, b, 'cam', { expiresIn: 600 }), FIXTURE, 1);
    expect(code).not.toBe(0);
    expect(stderr).toContain('Live channel is disabled by owner.');
    expect(emu.state.history(b, 'cam', 10)).toEqual([]);
  });

  it('drops non-AAC audio and keeps the H.264 video', async () => {
    const mp3 = join(scratch, 'h264-mp3.flv');
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      FIXTURE,
      '-t',
      '6',
      '-c:v',
      'copy',
      '-c:a',
      'libmp3lame',
      '-ar',
      '44100',
      '-f',
      'flv',
      mp3,
    ]);
    const b = uniqueBucket('mp3');
    await createChannel(emu, b, 'cam');
    await publishFlv({ url: publishUrl(emu, b, 'cam', { expiresIn: 600 }), flv: readFileSync(mp3), speed: 0 });
    await waitFor(() => (emu.state.history(b, 'cam', 10).length === 1 ? true : undefined), 5000, 'history record');
    const first = emu.state.segments(b)[0]!;
    const file = join(scratch, 'first-segment.ts');
    writeFileSync(file, (await emu.state.readObject(b, first.key))!);
    const probe = await ffprobe(file);
    expect(probe.streams.map((s) => s.codec_name)).toEqual(['h264']);
  });

  it('ends a push whose video is not H.264, recording no segment', async () => {
    const sorenson = join(scratch, 'flv1.flv');
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=25',
      '-t',
      '4',
      '-c:v',
      'flv1',
      '-f',
      'flv',
      sorenson,
    ]);
    const b = uniqueBucket('flv1');
    await createChannel(emu, b, 'cam');
    const outcome = await publishFlv({ url: publishUrl(emu, b, 'cam', { expiresIn: 600 }), flv: readFileSync(sorenson), speed: 1 }).then(
      () => 'completed',
      () => 'dropped',
    );
    expect(outcome).toBe('dropped');
    await waitFor(() => (emu.state.history(b, 'cam', 10).length === 1 ? true : undefined), 5000, 'history record');
    expect(emu.state.segments(b)).toEqual([]);
  });
});
