import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { HlsSegmenter, remuxFlvToTs } from '../../../src/media/hls/hls-segmenter.js';
import { PID_AUDIO, PID_PAT, PID_PMT, PID_VIDEO } from '../../../src/media/ts/constants.js';
import { fixturePackets, fixturePath, runSegmenter } from '../../helpers/segment-run.js';
import { annexBNalTypes, countAdtsFrames, readPes, readSections, readTsPackets } from '../../helpers/ts-inspector.js';

const run = promisify(execFile);
const workDir = mkdtempSync(join(tmpdir(), 'media-hls-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Runs a tool and returns stdout; stderr must stay empty at -v error (any decoder/demuxer complaint fails the test). */
async function tool(bin: 'ffprobe' | 'ffmpeg', args: string[]): Promise<string> {
  const { stdout, stderr } = await run(bin, ['-v', 'error', ...args], { maxBuffer: 16 << 20 });
  expect(stderr, `${bin} ${args.join(' ')}`).toBe('');
  return stdout;
}

async function probe(
  path: string,
): Promise<{ streams: { codec_name: string; width?: number; height?: number; nb_read_frames?: string }[]; format: { duration: string } }> {
  return JSON.parse(await tool('ffprobe', ['-of', 'json', '-show_streams', '-show_format', path]));
}

const FIXTURES = [
  { name: '640x360-25fps-h264-aac.flv', width: 640, height: 360, videoFrames: 500, audioFrames: 863 },
  { name: '1280x720-25fps-h264-aac.flv', width: 1280, height: 720, videoFrames: 150, audioFrames: 283 },
];

describe.each(FIXTURES)('$name through HlsSegmenter', (fixture) => {
  it.each([2, 5])(
    'fragDuration %i: every segment probes and decodes cleanly as h264 + aac',
    async (fragDurationSec) => {
      const { segments } = runSegmenter(new HlsSegmenter({ fragDurationSec }), fixturePackets(fixture.name));
      const paths = segments.map((s, i) => {
        const path = join(workDir, `${fixture.width}-${fragDurationSec}-${i}.ts`);
        writeFileSync(path, s.bytes);
        return path;
      });
      const source = await probe(fixturePath(fixture.name));
      // tool() fails on any stderr output: the decode pass proves every frame decodes without errors.
      const probes = await Promise.all(
        paths.map(async (path) => (await Promise.all([probe(path), tool('ffmpeg', ['-i', path, '-f', 'null', '-'])]))[0]),
      );
      probes.forEach((info, i) => {
        expect(info.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
        expect(info.streams.find((s) => s.codec_name === 'h264')).toMatchObject({ width: fixture.width, height: fixture.height });
        // ffprobe's duration spans audio and video; allow for the audio frame hanging over the cut.
        expect(Math.abs(Number(info.format.duration) - segments[i]!.durationSec)).toBeLessThan(0.1);
      });
      const total = segments.reduce((sum, s) => sum + s.durationSec, 0);
      expect(Math.abs(total - Number(source.format.duration))).toBeLessThan(0.15);
    },
    60_000,
  );

  it('produces a stream whose packets, tables, counters and timestamps are all consistent across segments', () => {
    const { segments } = runSegmenter(new HlsSegmenter({ fragDurationSec: 2 }), fixturePackets(fixture.name));
    const perSegment = segments.map((s) => readTsPackets(s.bytes)); // throws on a bad size or sync byte
    for (const packets of perSegment) {
      expect(packets.slice(0, 2).map((p) => p.pid)).toEqual([PID_PAT, PID_PMT]);
      expect(readSections(packets, PID_PMT)[0]!.subarray(12, 22).toString('hex')).toBe('1be100f0000fe101f000'); // stream loop
      const [first] = readPes(packets, PID_VIDEO);
      expect(first!.randomAccess).toBe(true);
      expect(first!.pcr).toBeDefined();
      expect(annexBNalTypes(first!.payload).slice(0, 3)).toEqual([9, 7, 8]); // AUD, SPS, PPS before the IDR
      expect(annexBNalTypes(first!.payload)).toContain(5);
    }

    const all = perSegment.flat();
    const lastCc = new Map<number, number>();
    for (const p of all) {
      const previous = lastCc.get(p.pid);
      const expected = previous === undefined ? p.continuityCounter : p.adaptationFieldControl & 1 ? (previous + 1) & 15 : previous;
      expect(p.continuityCounter, `PID ${p.pid}`).toBe(expected);
      lastCc.set(p.pid, p.continuityCounter);
    }

    const video = readPes(all, PID_VIDEO);
    const audio = readPes(all, PID_AUDIO);
    expect(video).toHaveLength(fixture.videoFrames);
    expect(audio.reduce((n, p) => n + countAdtsFrames(p.payload), 0)).toBe(fixture.audioFrames);
    for (const pes of [...video, ...audio]) expect(pes.pts).toBeGreaterThanOrEqual(pes.dts);
    for (let i = 1; i < video.length; i++) expect(video[i]!.dts).toBeGreaterThan(video[i - 1]!.dts);
    for (let i = 1; i < audio.length; i++) expect(audio[i]!.dts).toBeGreaterThan(audio[i - 1]!.dts);
    expect(video.some((v) => v.hasDts)).toBe(true); // B-frames: DTS written where it differs
    for (const v of video) expect(v.pcr! <= v.dts).toBe(true);
  });

  it('remuxFlvToTs gives one continuous TS with every source frame, decodable without errors', async () => {
    const path = join(workDir, `${fixture.width}-whole.ts`);
    writeFileSync(path, remuxFlvToTs(readFileSync(fixturePath(fixture.name))));
    const counted = JSON.parse(
      await tool('ffprobe', ['-of', 'json', '-count_frames', '-show_entries', 'stream=codec_name,nb_read_frames', path]),
    );
    expect(counted.streams).toEqual([
      { codec_name: 'h264', nb_read_frames: String(fixture.videoFrames) },
      { codec_name: 'aac', nb_read_frames: String(fixture.audioFrames) },
    ]);
    await tool('ffmpeg', ['-i', path, '-f', 'null', '-']);
  }, 60_000);
});
