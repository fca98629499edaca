import { describe, expect, it } from 'vitest';
import { Amf0Error, decodeAmf0, encodeAmf0 } from '../../src/push/amf0.js';
import { encodeMessage, RtmpChunkDecoder, type RtmpMessage } from '../../src/push/rtmp-chunks.js';
import { parseFlv } from '../../src/media/flv.js';
import { FIXTURE_360P } from '../helpers/rtmp-server.js';

describe('AMF0', () => {
  it('round-trips command values', () => {
    const values = [
      'connect',
      1,
      { app: 'mybucket/live', tcUrl: 'rtmp://h/x', nested: { ok: true, n: null } },
      null,
      undefined,
      [1, 'two'],
      'ü'.repeat(10),
    ];
    expect(decodeAmf0(encodeAmf0(values))).toEqual(values);
  });

  it('encodes strings over 64 KiB as long strings and dates with their milliseconds', () => {
    const long = 'x'.repeat(70_000);
    const date = new Date(1_700_000_000_123);
    const bytes = encodeAmf0([long, date]);
    expect(bytes[0]).toBe(0x0c);
    expect(decodeAmf0(bytes)).toEqual([long, date]);
  });

  it("decodes ffmpeg's onMetaData (an ECMA array) from the fixture", () => {
    const script = parseFlv(FIXTURE_360P).tags.find((t) => t.type === 'script')!;
    const [name, meta] = decodeAmf0(script.data);
    expect(name).toBe('onMetaData');
    expect(meta).toMatchObject({ width: 640, height: 360, framerate: 25, videocodecid: 7, audiocodecid: 10 });
  });

  it('throws Amf0Error on truncated data and unknown markers', () => {
    expect(() => decodeAmf0(encodeAmf0(['connect']).subarray(0, 4))).toThrow(Amf0Error);
    expect(() => decodeAmf0(Buffer.of(0x11))).toThrow(Amf0Error);
  });
});

describe('RTMP chunk stream codec', () => {
  const roundTrip = (messages: RtmpMessage[], chunkSize: number, sliceSize: number) => {
    const decoded: RtmpMessage[] = [];
    const decoder = new RtmpChunkDecoder((m) => decoded.push(m), 1 << 20);
    decoder.chunkSize = chunkSize;
    const wire = Buffer.concat(messages.map((m) => encodeMessage(m, chunkSize)));
    for (let i = 0; i < wire.length; i += sliceSize) decoder.push(wire.subarray(i, i + sliceSize));
    return decoded;
  };

  it('reassembles interleaved-size messages across chunk and read boundaries, any chunk stream id width', () => {
    const messages: RtmpMessage[] = [
      { chunkStreamId: 3, timestamp: 0, typeId: 20, streamId: 0, payload: Buffer.alloc(300, 1) },
      { chunkStreamId: 70, timestamp: 40, typeId: 9, streamId: 1, payload: Buffer.alloc(1000, 2) },
      { chunkStreamId: 400, timestamp: 80, typeId: 8, streamId: 1, payload: Buffer.alloc(0) },
      { chunkStreamId: 6, timestamp: 0x1000000, typeId: 9, streamId: 1, payload: Buffer.alloc(513, 3) }, // extended timestamp
    ];
    for (const [chunkSize, slice] of [
      [128, 7],
      [4096, 1],
      [100, 10_000],
    ] as const) {
      expect(roundTrip(messages, chunkSize, slice)).toEqual(messages);
    }
  });

  it('refuses messages above its size limit', () => {
    const decoder = new RtmpChunkDecoder(() => {}, 100);
    expect(() =>
      decoder.push(encodeMessage({ chunkStreamId: 3, timestamp: 0, typeId: 20, streamId: 0, payload: Buffer.alloc(101) }, 128)),
    ).toThrow(/101 bytes/);
  });
});
