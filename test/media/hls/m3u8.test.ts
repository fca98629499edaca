import { Parser } from 'm3u8-parser';
import { describe, expect, it } from 'vitest';
import { renderLivePlaylist, renderVodPlaylist } from '../../../src/media/hls/m3u8.js';

function parse(text: string) {
  const parser = new Parser();
  parser.push(text);
  parser.end();
  return parser.manifest;
}

const segments = [
  { uri: '1543895706266.ts', durationSec: 6.006 },
  { uri: '1543895712272.ts', durationSec: 13.32 },
  { uri: '1543895725592.ts', durationSec: 2 },
];

describe('renderVodPlaylist', () => {
  it('writes the OSS VOD layout: version 3, sequence 0, 3-decimal EXTINF, ENDLIST, trailing newline', () => {
    expect(renderVodPlaylist(segments)).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-TARGETDURATION:13',
        '#EXTINF:6.006,',
        '1543895706266.ts',
        '#EXTINF:13.320,',
        '1543895712272.ts',
        '#EXTINF:2.000,',
        '1543895725592.ts',
        '#EXT-X-ENDLIST',
        '',
      ].join('\n'),
    );
  });

  it('parses back with m3u8-parser: target duration = longest EXTINF rounded to nearest, endList set', () => {
    const m = parse(renderVodPlaylist(segments));
    expect(m.targetDuration).toBe(13);
    expect(m.mediaSequence).toBe(0);
    expect(m.endList).toBe(true);
    expect(m.segments.map((s) => [s.uri, s.duration])).toEqual(segments.map((s) => [s.uri, s.durationSec]));
  });
});

describe('renderLivePlaylist', () => {
  it('carries the media sequence and no ENDLIST while the push is live', () => {
    const text = renderLivePlaylist({ segments: segments.slice(1), mediaSequence: 7, ended: false });
    expect(text).not.toContain('#EXT-X-ENDLIST');
    const m = parse(text);
    expect(m.mediaSequence).toBe(7);
    expect(m.endList).toBeUndefined();
    expect(m.targetDuration).toBe(13);
    expect(m.segments).toHaveLength(2);
  });

  it('appends ENDLIST once ended', () => {
    expect(parse(renderLivePlaylist({ segments, mediaSequence: 3, ended: true })).endList).toBe(true);
  });

  it('rounds the target up when the longest segment prints as x.500, and never goes below 1', () => {
    expect(
      parse(renderLivePlaylist({ segments: [{ uri: 'a.ts', durationSec: 4.4994 }], mediaSequence: 0, ended: false })).targetDuration,
    ).toBe(4);
    expect(
      parse(renderLivePlaylist({ segments: [{ uri: 'a.ts', durationSec: 4.4996 }], mediaSequence: 0, ended: false })).targetDuration,
    ).toBe(5);
    expect(renderLivePlaylist({ segments: [{ uri: 'a.ts', durationSec: 0.2 }], mediaSequence: 0, ended: false })).toContain(
      '#EXT-X-TARGETDURATION:1\n',
    );
    expect(renderLivePlaylist({ segments: [], mediaSequence: 0, ended: false })).toBe(
      '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-TARGETDURATION:1\n',
    );
  });

  it('refuses a URI with a line break (it would inject playlist tags)', () => {
    expect(() =>
      renderLivePlaylist({ segments: [{ uri: 'a.ts\n#EXT-X-ENDLIST', durationSec: 1 }], mediaSequence: 0, ended: false }),
    ).toThrow(RangeError);
  });
});
