import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MediaFormatError } from '../../src/media/errors.js';
import { encodeFlvHeader, encodeFlvTag, parseFlv } from '../../src/media/flv.js';

const fixture = readFileSync(new URL('../../fixtures/640x360-25fps-h264-aac.flv', import.meta.url));

function flvOf(...tags: Buffer[]): Buffer {
  return Buffer.concat([encodeFlvHeader({ hasAudio: true, hasVideo: true }), ...tags]);
}

describe('parseFlv', () => {
  it('reads every tag of the 640x360 fixture with its type, timestamp and body', () => {
    const flv = parseFlv(fixture);
    expect(flv.hasAudio).toBe(true);
    expect(flv.hasVideo).toBe(true);
    expect(flv.tags).toHaveLength(1367);
    expect(flv.tags.filter((t) => t.type === 'video')).toHaveLength(502); // seq header + 500 frames + end of sequence
    expect(flv.tags.filter((t) => t.type === 'audio')).toHaveLength(864); // seq header + 863 frames
    expect(flv.tags[0]!.type).toBe('script');
    expect(flv.tags[1]!.data.subarray(0, 2)).toEqual(Buffer.from([0x17, 0x00])); // AVC sequence header
    expect(flv.tags.at(-1)!.timestamp).toBe(19960);
  });

  it('round-trips a tag whose timestamp needs the extended byte', () => {
    const data = Buffer.from([0xaf, 0x01, 1, 2, 3]);
    const encoded = encodeFlvTag({ type: 'audio', timestamp: 0x12345678, data });
    expect(encoded[7]).toBe(0x12); // TimestampExtended holds bits 31..24
    expect(encoded.readUIntBE(4, 3)).toBe(0x345678);
    const [tag] = parseFlv(flvOf(encoded)).tags;
    expect(tag).toEqual({ type: 'audio', timestamp: 0x12345678, data });
  });

  it('reports the audio/video flags of the header', () => {
    const flv = parseFlv(Buffer.concat([encodeFlvHeader({ hasAudio: false, hasVideo: true })]));
    expect(flv).toEqual({ hasAudio: false, hasVideo: true, tags: [] });
  });

  it('rejects a tag whose DataSize runs past the end of the buffer', () => {
    const tag = encodeFlvTag({ type: 'video', timestamp: 0, data: Buffer.alloc(100) });
    tag.writeUIntBE(5000, 1, 3); // lie: claims 5000 body bytes
    expect(() => parseFlv(flvOf(tag))).toThrow(MediaFormatError);
    expect(() => parseFlv(flvOf(tag))).toThrow(/declares 5000 data bytes but only 104 bytes remain/);
  });

  it('rejects a file truncated in the middle of a tag body', () => {
    const cut = fixture.subarray(0, 100_000);
    expect(() => parseFlv(cut)).toThrow(MediaFormatError);
  });

  it('rejects a file truncated inside a tag header', () => {
    const truncated = flvOf(encodeFlvTag({ type: 'audio', timestamp: 0, data: Buffer.alloc(3) }), Buffer.from([9, 0, 0]));
    expect(() => parseFlv(truncated)).toThrow(/truncated tag header/);
  });

  it('rejects a PreviousTagSize that does not match the tag', () => {
    const tag = encodeFlvTag({ type: 'video', timestamp: 0, data: Buffer.alloc(10) });
    tag.writeUInt32BE(99, tag.length - 4);
    expect(() => parseFlv(flvOf(tag))).toThrow(/PreviousTagSize 99 .* should be 21/);
  });

  it('rejects a missing signature, a wrong version and an unknown tag type', () => {
    expect(() => parseFlv(Buffer.from('NOTFLV000000000'))).toThrow(MediaFormatError);
    const v2 = flvOf();
    v2[3] = 2;
    expect(() => parseFlv(v2)).toThrow(/version 2/);
    const odd = encodeFlvTag({ type: 'script', timestamp: 0, data: Buffer.alloc(1) });
    odd[0] = 7;
    expect(() => parseFlv(flvOf(odd))).toThrow(/unknown tag type 7/);
  });
});
