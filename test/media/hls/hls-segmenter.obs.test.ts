// What OBS Studio sends, measured with OBS 29: its second keyframe arrives 1999 ms after the first. The cut has half a
// frame of tolerance, so FragDuration 2 gives 2 s segments from the first one on; a keyframe interval longer than
// FragDuration is warned about once per publish.
import { describe, expect, it } from 'vitest';
import type { MediaPacket } from '../../../src/media/flv-demux.js';
import { HlsSegmenter } from '../../../src/media/hls/hls-segmenter.js';
import { renderVodPlaylist } from '../../../src/media/hls/m3u8.js';
import { avcFrame, avcSequenceHeader, fakeSlice } from '../../helpers/flv-builder.js';
import { runSegmenter } from '../../helpers/segment-run.js';

const SPS = Buffer.from('67640028acd940780227e5c044000003000400000300f03c60c658', 'hex');
const PPS = Buffer.from('68ebe3cb22c0', 'hex');

/** 30 fps frames (33/34 ms apart, as OBS timestamps them) with keyframes at the given times. */
function obsStream(durationMs: number, keyAt: (frameMs: number, i: number) => boolean): MediaPacket[] {
  const packets: MediaPacket[] = [{ type: 'video', timestamp: 0, data: avcSequenceHeader(SPS, PPS) }];
  for (let i = 0; Math.round((i * 1000) / 30) < durationMs; i++) {
    const ms = Math.round((i * 1000) / 30);
    const key = keyAt(ms, i);
    packets.push({ type: 'video', timestamp: ms, data: avcFrame({ key, nals: [fakeSlice(key)] }) });
  }
  return packets;
}

describe('OBS keyframe timing', () => {
  it('cuts the first segment at a keyframe 1999 ms in (half a frame of tolerance), not at the next one 4 s in', () => {
    // Frame 60 at 30 fps is at 2000 ms; OBS puts its keyframe one millisecond early.
    const packets = obsStream(8000, (_ms, i) => i % 60 === 0).map((p, i) => (i === 61 ? { ...p, timestamp: 1999 } : p));
    const run = runSegmenter(new HlsSegmenter({ fragDurationSec: 2 }), packets);
    expect(run.segments.map((s) => s.startMs)).toEqual([0, 1999, 4000, 6000]);
    expect(run.segments[0]!.durationSec).toBeCloseTo(2, 0);
    expect(run.warnings).toEqual([]);
  });

  it('still waits for a keyframe clearly before start + FragDuration (more than half a frame early)', () => {
    const packets = obsStream(6000, (ms) => ms === 0 || ms === 1967 || ms === 4000);
    const run = runSegmenter(new HlsSegmenter({ fragDurationSec: 2 }), packets);
    expect(run.segments.map((s) => s.startMs)).toEqual([0, 4000]);
  });

  it('warns once per publish when keyframes are further apart than FragDuration', () => {
    const run = runSegmenter(
      new HlsSegmenter({ fragDurationSec: 2 }),
      obsStream(20_000, (_ms, i) => i % 150 === 0),
    ); // every 5 s
    expect(run.segments.map((s) => Math.round(s.durationSec))).toEqual([5, 5, 5, 5]);
    expect(run.warnings).toEqual([expect.stringMatching(/^keyframe interval 5\.0 s is longer than FragDuration 2 s.*2 s or less/)]);
  });
});

describe('playlists across publishes', () => {
  it('writes #EXT-X-DISCONTINUITY before a segment that starts a new publish', () => {
    const text = renderVodPlaylist([
      { uri: 'a.ts', durationSec: 2 },
      { uri: 'b.ts', durationSec: 2, discontinuity: true },
    ]);
    expect(text.split('\n')).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-TARGETDURATION:2',
      '#EXTINF:2.000,',
      'a.ts',
      '#EXT-X-DISCONTINUITY',
      '#EXTINF:2.000,',
      'b.ts',
      '#EXT-X-ENDLIST',
      '',
    ]);
  });
});
