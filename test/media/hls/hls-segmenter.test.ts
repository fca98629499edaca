import { describe, expect, it } from 'vitest';
import { FlvDemuxer, type MediaPacket } from '../../../src/media/flv-demux.js';
import { HlsSegmenter } from '../../../src/media/hls/hls-segmenter.js';
import { PID_AUDIO, PID_PMT, PID_VIDEO } from '../../../src/media/ts/constants.js';
import { BitWriter } from '../../helpers/bit-writer.js';
import { aacFrame, aacSequenceHeader, avcFrame, avcSequenceHeader, fakeSlice } from '../../helpers/flv-builder.js';
import { fixturePackets, flvSegmenter, runSegmenter } from '../../helpers/segment-run.js';
import { countAdtsFrames, readPes, readSections, readTsPackets } from '../../helpers/ts-inspector.js';

// x264's 1080p SPS (25 fps is not in its VUI: it says 30, so tests also prove fps comes from timestamps).
const SPS = Buffer.from('67640028acd940780227e5c044000003000400000300f03c60c658', 'hex');
const PPS = Buffer.from('68ebe3cb22c0', 'hex');
const TS_OFFSET = 126000; // the muxer's 1.4 s timeline offset, in 90 kHz ticks

const video = (timestamp: number, key: boolean, cts = 0): MediaPacket => ({
  type: 'video',
  timestamp,
  data: avcFrame({ key, cts, nals: [fakeSlice(key)] }),
});
const audio = (timestamp: number): MediaPacket => ({ type: 'audio', timestamp, data: aacFrame() });
const headers = (): MediaPacket[] => [
  { type: 'video', timestamp: 0, data: avcSequenceHeader(SPS, PPS) },
  { type: 'audio', timestamp: 0, data: aacSequenceHeader() },
];

/** 25 fps video with a keyframe every `gop` frames and AAC frames every ~23.2 ms, interleaved by timestamp. */
function syntheticStream(opts: { durationMs: number; gop: number; audio?: boolean }): MediaPacket[] {
  const media: MediaPacket[] = [];
  for (let i = 0; i * 40 < opts.durationMs; i++) media.push(video(i * 40, i % opts.gop === 0));
  if (opts.audio !== false)
    for (let i = 0; (i * 1024000) / 44100 < opts.durationMs; i++) media.push(audio(Math.round((i * 1024000) / 44100)));
  media.sort((a, b) => a.timestamp - b.timestamp || (a.type === 'video' ? -1 : 1));
  return [...headers(), ...media];
}

describe('HlsSegmenter cutting (OSS rule: first keyframe at or after start + FragDuration)', () => {
  it('cuts a 2 s GOP source into 2 s segments with fragDuration 2', () => {
    const run = runSegmenter(new HlsSegmenter({ fragDurationSec: 2 }), fixturePackets('640x360-25fps-h264-aac.flv'));
    expect(run.segments.map((s) => s.startMs)).toEqual([0, 2000, 4000, 6000, 8000, 10000, 12000, 14000, 16000, 18000]);
    expect(run.segments.map((s) => s.durationSec)).toEqual(Array(10).fill(2));
    expect(run.warnings).toEqual([]);
  });

  it('waits for the next keyframe: fragDuration 3 on a 2 s GOP gives 4 s segments', () => {
    const run = runSegmenter(new HlsSegmenter({ fragDurationSec: 3 }), fixturePackets('640x360-25fps-h264-aac.flv'));
    expect(run.segments.map((s) => [s.startMs, s.durationSec])).toEqual([
      [0, 4],
      [4000, 4],
      [8000, 4],
      [12000, 4],
      [16000, 4],
    ]);
  });

  it('reports each segment end as the next start, and the last as last DTS + one frame', () => {
    const run = runSegmenter(new HlsSegmenter({ fragDurationSec: 5 }), fixturePackets('640x360-25fps-h264-aac.flv'));
    expect(run.segments.map((s) => [s.startMs, s.endMs, s.durationSec])).toEqual([
      [0, 6000, 6],
      [6000, 12000, 6],
      [12000, 18000, 6],
      [18000, 20000, 2],
    ]);
  });

  it('cuts on a non-key frame with a warning when no keyframe comes within max(2 x FragDuration, 60 s)', () => {
    const run = runSegmenter(new HlsSegmenter({ fragDurationSec: 2 }), syntheticStream({ durationMs: 70_000, gop: 100_000, audio: false }));
    expect(run.segments.map((s) => [s.startMs, s.durationSec])).toEqual([
      [0, 60],
      [60_000, 10],
    ]);
    expect(run.warnings).toEqual([expect.stringMatching(/no keyframe within 60 s.*DTS 60000/)]);
    const firstVideo = readPes(readTsPackets(run.segments[1]!.bytes), PID_VIDEO)[0]!;
    expect(firstVideo.randomAccess).toBe(false);
  });

  it('uses 2 x FragDuration as the forced-cut window when that exceeds 60 s', () => {
    const run = runSegmenter(
      new HlsSegmenter({ fragDurationSec: 40 }),
      syntheticStream({ durationMs: 90_000, gop: 100_000, audio: false }),
    );
    expect(run.segments.map((s) => s.startMs)).toEqual([0, 80_000]);
  });

  it('emits nothing before the first keyframe and drops the audio before it', () => {
    const packets = [
      ...headers(),
      audio(0),
      video(0, false),
      audio(23),
      video(40, false),
      audio(46),
      audio(69),
      video(80, true),
      audio(93),
      video(120, false),
    ];
    const demuxer = new FlvDemuxer();
    const segmenter = new HlsSegmenter({ fragDurationSec: 2 });
    const early = packets.slice(0, 8).flatMap((p) => segmenter.push(demuxer.push(p)));
    expect(early).toEqual([]);
    const run = runSegmenter(segmenter, packets.slice(8), demuxer);
    expect(run.segments).toHaveLength(1);
    expect(run.segments[0]!.startMs).toBe(80);
    const packetsOut = readTsPackets(run.segments[0]!.bytes);
    expect(readPes(packetsOut, PID_VIDEO)).toHaveLength(2);
    expect(readPes(packetsOut, PID_AUDIO).map((p) => [p.pts, countAdtsFrames(p.payload)])).toEqual([[TS_OFFSET + 13 * 90, 1]]);
  });

  it('puts audio in the segment current at its DTS, even when it arrives before the cutting keyframe', () => {
    const packets = [
      ...headers(),
      video(0, true),
      audio(10),
      video(1960, false),
      audio(1990),
      audio(2000),
      audio(2010),
      video(2000, true),
      video(2040, false),
    ];
    const run = runSegmenter(new HlsSegmenter({ fragDurationSec: 2 }), packets);
    expect(run.segments.map((s) => s.startMs)).toEqual([0, 2000]);
    const audioOf = (i: number) =>
      readPes(readTsPackets(run.segments[i]!.bytes), PID_AUDIO).map((p) => [p.pts, countAdtsFrames(p.payload)]);
    expect(audioOf(0)).toEqual([
      [TS_OFFSET + 10 * 90, 1],
      [TS_OFFSET + 1990 * 90, 1],
    ]);
    expect(audioOf(1)).toEqual([[TS_OFFSET + 2000 * 90, 2]]); // 2000 and 2010 bundled in one PES
  });

  it('bundles consecutive AAC frames into PES packets spanning under 100 ms', () => {
    const run = runSegmenter(new HlsSegmenter({ fragDurationSec: 10 }), syntheticStream({ durationMs: 2000, gop: 50 }));
    const pes = readPes(readTsPackets(run.segments[0]!.bytes), PID_AUDIO);
    const frames = pes.map((p) => countAdtsFrames(p.payload));
    expect(frames.reduce((a, b) => a + b)).toBe(87); // ceil(2000 / 23.22)
    expect(Math.max(...frames)).toBe(4);
    for (let i = 1; i < pes.length; i++) expect(pes[i]!.pts - pes[i - 1]!.pts).toBeLessThanOrEqual(100 * 90);
  });

  it('emits TS in per-push chunks of whole packets, not one Buffer per 188-byte packet', () => {
    const packets = fixturePackets('1280x720-25fps-h264-aac.flv');
    const run = runSegmenter(new HlsSegmenter({ fragDurationSec: 2 }), packets);
    expect(run.dataEvents).toBeLessThanOrEqual(packets.length + run.segments.length);
    const bytes = run.segments.reduce((n, s) => n + s.bytes.length, 0);
    expect(bytes / run.dataEvents).toBeGreaterThan(10 * 188);
    for (const s of run.segments) expect(s.bytes.length % 188).toBe(0);
  });
});

describe('HlsSegmenter codecs and stream info', () => {
  it('drops non-AAC audio with a single warning and leaves audio out of the PMT', () => {
    const mp3 = (timestamp: number): MediaPacket => ({ type: 'audio', timestamp, data: Buffer.from([0x2f, 0xff, 0xfb, 0x90]) });
    const packets = [
      { type: 'video', timestamp: 0, data: avcSequenceHeader(SPS, PPS) } as MediaPacket,
      video(0, true),
      mp3(0),
      mp3(26),
      video(40, false),
      mp3(52),
    ];
    const run = runSegmenter(new HlsSegmenter({ fragDurationSec: 2 }), packets);
    expect(run.warnings).toEqual(['audio MP3 (SoundFormat 2) is not AAC and was dropped']);
    const ts = readTsPackets(run.segments[0]!.bytes);
    expect(ts.some((p) => p.pid === PID_AUDIO)).toBe(false);
    const [pmt] = readSections(ts, PID_PMT);
    expect(pmt!.length).toBe(12 + 5 + 4); // header + one elementary stream + CRC
  });

  it('warns once and drops AAC whose config cannot be framed as ADTS', () => {
    const { segmenter, ...stream } = flvSegmenter({ fragDurationSec: 2 });
    const events = [
      ...stream.push({ type: 'audio', timestamp: 0, data: aacSequenceHeader(Buffer.from([0xf8, 0xa8, 0x60])) }), // escaped object type 37
      ...stream.push(audio(0)),
      ...stream.push(audio(23)),
    ];
    expect(events.filter((e) => e.type === 'warning')).toHaveLength(2);
    expect(segmenter.info.audio).toBeUndefined();
  });

  it('reports resolution from the SPS, fps from timestamps, and the AAC config', () => {
    const segmenter = new HlsSegmenter({ fragDurationSec: 2 });
    expect(segmenter.info).toEqual({});
    runSegmenter(segmenter, fixturePackets('640x360-25fps-h264-aac.flv'));
    expect(segmenter.info).toEqual({
      video: { codec: 'H264', width: 640, height: 360, frameRate: 25 },
      audio: { codec: 'AAC', sampleRate: 44100, channels: 2 },
    });
    const synthetic = new HlsSegmenter({ fragDurationSec: 2 });
    runSegmenter(synthetic, syntheticStream({ durationMs: 1000, gop: 50 }));
    expect(synthetic.info.video).toEqual({ codec: 'H264', width: 1920, height: 1080, frameRate: 25 }); // the SPS's VUI says 30
  });

  it('reports frameRate 0 (not Infinity) while neither timestamps nor VUI timing give one', () => {
    // Baseline 320x240 SPS without VUI.
    const rbsp = new BitWriter()
      .u(8, 66)
      .u(8, 0xc0)
      .u(8, 30)
      .ue(0)
      .ue(0)
      .ue(0)
      .ue(0)
      .ue(1)
      .u(1, 0)
      .ue(19)
      .ue(14)
      .u(1, 1)
      .u(1, 1)
      .u(1, 0)
      .u(1, 0)
      .trailing();
    const sps = Buffer.concat([Buffer.from([0x67]), rbsp.toBuffer()]);
    const { segmenter, ...stream } = flvSegmenter({ fragDurationSec: 2 });
    stream.push({ type: 'video', timestamp: 0, data: avcSequenceHeader(sps, PPS) });
    stream.push(video(0, true));
    expect(segmenter.info.video).toEqual({ codec: 'H264', width: 320, height: 240, frameRate: 0 });
    stream.push(video(50, false));
    expect(segmenter.info.video?.frameRate).toBe(20);
  });

  it('returns no events from end() when no keyframe ever arrived, and rejects a non-positive fragDuration', () => {
    const stream = flvSegmenter({ fragDurationSec: 2 });
    stream.push(headers()[0]!);
    stream.push(video(0, false));
    expect(stream.end()).toEqual([]);
    expect(() => new HlsSegmenter({ fragDurationSec: 0 })).toThrow(RangeError);
  });
});
