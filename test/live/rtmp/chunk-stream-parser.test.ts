import { createHash } from 'node:crypto';
import NmsRtmp from 'node-media-server/src/protocol/rtmp.js';
import { describe, expect, it } from 'vitest';
import { ChunkStreamParser, RtmpProtocolViolation, type ChunkStreamLimits } from '../../../src/live/rtmp/chunk-stream-parser.js';
import { parseFlv } from '../../../src/media/flv.js';
import { RTMP_MESSAGE } from '../../../src/media/rtmp-message-types.js';
import { encodeAmf0 } from '../../../src/push/amf0.js';
import { FIXTURE_360P, FIXTURE_720P } from '../../helpers/fixtures.js';

interface Message {
  csid: number;
  type: number;
  streamId: number;
  timestamp: number;
  payload: Buffer;
}

/** What both parsers hand on, compared: payloads by digest so a mismatch prints readably. */
interface Seen {
  type: number;
  streamId: number;
  timestamp: number;
  length: number;
  sha1: string;
}

const seen = (type: number, streamId: number, timestamp: number, payload: Buffer): Seen => ({
  type,
  streamId,
  timestamp,
  length: payload.length,
  sha1: createHash('sha1').update(payload).digest('hex'),
});

/** Deterministic, so a failing seed can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

const LARGE: ChunkStreamLimits = { maxMessageBytes: 16 << 20, bufferBudget: 32 << 20, qualifier: '' };

/** The new parser, recording what it hands on (copies: the payload is only valid during the call). */
function parseWithOurs(reads: Buffer[], limits = LARGE): Seen[] {
  const out: Seen[] = [];
  const parser = new ChunkStreamParser((type, streamId, timestamp, payload) => out.push(seen(type, streamId, timestamp, payload)), limits);
  for (const read of reads) parser.receive(read);
  return out;
}

/** node-media-server's own chunk parser (the path the adapter used before), past the handshake, recording per message. */
class NmsReference extends NmsRtmp {
  readonly out: Seen[] = [];
  constructor() {
    super();
    this.handshakeState = 3;
  }
  override packetHandler(): void {
    const { type, stream_id: streamId, length } = this.parserPacket.header;
    if (type === RTMP_MESSAGE.SET_CHUNK_SIZE) this.controlHandler();
    else this.out.push(seen(type, streamId, this.parserPacket.clock, this.parserPacket.payload.subarray(0, length)));
  }
}

function parseWithNms(reads: Buffer[]): Seen[] {
  const nms = new NmsReference();
  for (const read of reads) nms.parserData(read);
  return nms.out;
}

function basicHeader(fmt: number, csid: number): Buffer {
  if (csid >= 320) return Buffer.of((fmt << 6) | 1, (csid - 64) & 0xff, (csid - 64) >> 8);
  if (csid >= 64) return Buffer.of(fmt << 6, csid - 64);
  return Buffer.of((fmt << 6) | csid);
}

interface ChunkStreamMemory {
  streamId: number;
  type: number;
  length: number;
  timestamp: number;
  delta: number;
}

/**
 * Chunks messages as ffmpeg's ff_rtmp_packet_write does: type 0 for a chunk stream's first message, a new message
 * stream or a timestamp going back; type 1 when length/type change; type 2 when only the delta changes; type 3 for
 * the same delta again and for continuations, which repeat the extended timestamp when the header had one.
 * `compress: false` writes a type-0 header for every message (the project's publisher, OBS).
 */
class ChunkEncoder {
  chunkSize = 128;
  private readonly memory = new Map<number, ChunkStreamMemory>();
  constructor(private readonly compress: boolean) {}

  /** The chunks of one message, each a header plus its part of the payload. */
  chunks(msg: Message): Buffer[] {
    const prev = this.memory.get(msg.csid);
    let fmt = 0;
    if (this.compress && prev && prev.streamId === msg.streamId && msg.timestamp >= prev.timestamp) {
      const delta = msg.timestamp - prev.timestamp;
      if (prev.type !== msg.type || prev.length !== msg.payload.length) fmt = 1;
      // A type-3 header adds the value of the last timestamp field again (after a type-0 header: its absolute
      // timestamp, as ffmpeg and node-media-server read it), so type 3 only when that is the delta wanted.
      else fmt = delta === prev.delta ? 3 : 2;
    }
    // The timestamp field's value: absolute for type 0, else the delta (type 3: the remembered one, equal).
    const value = fmt === 0 ? msg.timestamp : msg.timestamp - prev!.timestamp;
    this.memory.set(msg.csid, {
      streamId: msg.streamId,
      type: msg.type,
      length: msg.payload.length,
      timestamp: msg.timestamp,
      delta: value,
    });
    const extended = value >= 0xffffff;
    const head = Buffer.alloc([11, 7, 3, 0][fmt]!);
    if (fmt <= 2) head.writeUIntBE(extended ? 0xffffff : value, 0, 3);
    if (fmt <= 1) {
      head.writeUIntBE(msg.payload.length, 3, 3);
      head[6] = msg.type;
    }
    if (fmt === 0) head.writeUInt32LE(msg.streamId, 7);
    // Extended: after the header, and again after every type-3 header of the message (ffmpeg, OBS).
    const ext = Buffer.alloc(extended ? 4 : 0);
    if (extended) ext.writeUInt32BE(value);
    const out: Buffer[] = [];
    let offset = 0;
    do {
      const header = offset === 0 ? Buffer.concat([basicHeader(fmt, msg.csid), head, ext]) : Buffer.concat([basicHeader(3, msg.csid), ext]);
      out.push(Buffer.concat([header, msg.payload.subarray(offset, offset + this.chunkSize)]));
      offset += this.chunkSize;
    } while (offset < msg.payload.length);
    return out;
  }
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** The messages a publisher sends for an FLV: commands, metadata, then the tags, timestamps shifted by `base`. */
function publisherMessages(flv: Buffer, base: number, rand: (n: number) => number): Message[] {
  const command = (streamId: number, ...values: Parameters<typeof encodeAmf0>[0]): Message => ({
    csid: 3,
    type: RTMP_MESSAGE.COMMAND_AMF0,
    streamId,
    timestamp: 0,
    payload: encodeAmf0(values),
  });
  const out: Message[] = [
    command(0, 'connect', 1, { app: 'live', tcUrl: 'rtmp://127.0.0.1/live', type: 'nonprivate' }),
    { csid: 2, type: RTMP_MESSAGE.WINDOW_ACK_SIZE, streamId: 0, timestamp: 0, payload: u32(2_500_000) },
    command(0, 'releaseStream', 2, null, 'chan'),
    command(0, 'createStream', 3, null),
    command(1, 'publish', 4, null, 'chan', 'live'),
    { csid: 2, type: RTMP_MESSAGE.USER_CONTROL, streamId: 0, timestamp: 0, payload: Buffer.from('000300000001', 'hex') },
    { csid: 3, type: RTMP_MESSAGE.COMMAND_AMF0, streamId: 1, timestamp: 0, payload: Buffer.alloc(0) }, // zero-length
  ];
  for (const tag of parseFlv(flv).tags) {
    const type = tag.type === 'audio' ? RTMP_MESSAGE.AUDIO : tag.type === 'video' ? RTMP_MESSAGE.VIDEO : RTMP_MESSAGE.DATA_AMF0;
    // Now and then a jump whose delta needs an extended timestamp itself.
    if (rand(400) === 0 && base < 0xf0000000) base += 0x1000000 + rand(1000);
    out.push({
      csid: type === RTMP_MESSAGE.AUDIO ? 4 : type === RTMP_MESSAGE.VIDEO ? 6 : 5,
      type,
      streamId: 1,
      timestamp: base + tag.timestamp,
      payload: tag.data,
    });
  }
  return out;
}

/**
 * The whole stream as bytes: messages in order, Set Chunk Size now and then (tiny sizes only for a few messages),
 * and sometimes an audio message's chunks interleaved into a video message's (distinct chunk streams may interleave).
 */
function encodeStream(messages: Message[], compress: boolean, rand: (n: number) => number): { bytes: Buffer; completed: Message[] } {
  const enc = new ChunkEncoder(compress);
  const parts: Buffer[] = [];
  /** Messages in the order their last chunk is sent (interleaved ones may finish out of order). */
  const completed: Message[] = [];
  let tinyLeft = 0;
  const setChunkSize = (size: number) => {
    parts.push(...enc.chunks({ csid: 2, type: RTMP_MESSAGE.SET_CHUNK_SIZE, streamId: 0, timestamp: 0, payload: u32(size) }));
    enc.chunkSize = size;
  };
  for (let i = 0; i < messages.length; i++) {
    if (tinyLeft > 0 && --tinyLeft === 0) setChunkSize(4096);
    const roll = rand(100);
    if (roll < 2) {
      setChunkSize(1 + rand(40));
      tinyLeft = 1 + rand(4);
    } else if (roll < 6) setChunkSize([128, 1000, 4096, 60_000, 1 << 20][rand(5)]!);
    const msg = messages[i]!;
    const next = messages[i + 1];
    if (next && msg.csid !== next.csid && msg.csid >= 4 && next.csid >= 4 && rand(5) === 0) {
      const a = enc.chunks(msg);
      const b = enc.chunks(next);
      while (a.length > 0 || b.length > 0) {
        const [from, of] = b.length === 0 || (a.length > 0 && rand(2)) ? [a, msg] : [b, next];
        parts.push(from.shift()!);
        if (from.length === 0) completed.push(of);
      }
      i++;
    } else {
      parts.push(...enc.chunks(msg));
      completed.push(msg);
    }
  }
  return { bytes: Buffer.concat(parts), completed };
}

/** The stream cut at random boundaries: many tiny reads, some typical socket-sized ones. */
function randomReads(stream: Buffer, rand: (n: number) => number): Buffer[] {
  const reads: Buffer[] = [];
  for (let p = 0; p < stream.length;) {
    const n = 1 + [rand(20), rand(1500), rand(65_536)][rand(3)]!;
    reads.push(stream.subarray(p, p + n));
    p += n;
  }
  return reads;
}

describe('ChunkStreamParser against node-media-server on real publisher streams', () => {
  const expected = (messages: Message[]): Seen[] =>
    messages.filter((m) => m.type !== RTMP_MESSAGE.SET_CHUNK_SIZE).map((m) => seen(m.type, m.streamId, m.timestamp, m.payload));

  for (const [name, flv] of [
    ['360p', FIXTURE_360P],
    ['720p', FIXTURE_720P],
  ] as const) {
    it(`hands on the same messages as node-media-server for the ${name} fixture, split at random, random chunk sizes`, () => {
      for (let seed = 1; seed <= 6; seed++) {
        const rand = prng(seed * 7919 + name.length);
        const base = [0, 0xffffff - 3000, 0xe0000000][seed % 3]!; // plain, crossing into extended, high
        const all = publisherMessages(flv, base, rand);
        const start = 7 + rand(all.length - 600);
        const messages = [...all.slice(0, 7), ...all.slice(start, start + 500)];
        const { bytes: stream, completed } = encodeStream(messages, seed % 2 === 0, rand);
        const reads = randomReads(stream, rand);
        const ours = parseWithOurs(reads);
        const nms = parseWithNms(reads);
        const context = `seed ${seed}, ${reads.length} reads of ${stream.length} bytes`;
        expect(ours.length, context).toBe(nms.length);
        expect(ours, context).toEqual(nms);
        // and both are what was sent (timestamps as sent: the parsers accumulate deltas back to them)
        expect(ours, context).toEqual(expected(completed));
      }
    });
  }

  it('hands a message that arrives whole in one chunk and one read on as a view of that read, without copying', () => {
    const enc = new ChunkEncoder(false);
    enc.chunkSize = 4096;
    const read = Buffer.concat(
      enc.chunks({ csid: 4, type: RTMP_MESSAGE.AUDIO, streamId: 1, timestamp: 40, payload: Buffer.alloc(300, 7) }),
    );
    const payloads: Buffer[] = [];
    const parser = new ChunkStreamParser((_t, _s, _ts, payload) => payloads.push(payload), LARGE);
    parser.receive(
      Buffer.concat(enc.chunks({ csid: 2, type: RTMP_MESSAGE.SET_CHUNK_SIZE, streamId: 0, timestamp: 0, payload: u32(4096) })),
    );
    parser.receive(read);
    expect(payloads).toHaveLength(1);
    expect(payloads[0]!.buffer).toBe(read.buffer);
    expect(payloads[0]!.byteOffset).toBe(read.byteOffset + 12);
  });
});

describe('ChunkStreamParser limits and control messages', () => {
  const enc = () => new ChunkEncoder(false);
  const media = (csid: number, length: number, timestamp = 0): Message => ({
    csid,
    type: RTMP_MESSAGE.VIDEO,
    streamId: 1,
    timestamp,
    payload: Buffer.alloc(length, csid),
  });
  const collect = (limits: ChunkStreamLimits = LARGE) => {
    const out: Seen[] = [];
    const parser = new ChunkStreamParser(
      (type, streamId, timestamp, payload) => out.push(seen(type, streamId, timestamp, payload)),
      limits,
    );
    return { out, parser };
  };

  it('refuses a message longer than the limit from its first header, before any payload arrives', () => {
    const { parser } = collect({ maxMessageBytes: 1000, bufferBudget: 4000, qualifier: ' before the publish is authorised' });
    const header = enc().chunks(media(6, 1001))[0]!.subarray(0, 12);
    expect(() => parser.receive(header)).toThrow(
      new RtmpProtocolViolation('message length 1001 exceeds 1000 before the publish is authorised'),
    );
  });

  it('refuses a seventeenth chunk stream', () => {
    const { parser } = collect();
    const e = enc();
    for (let csid = 3; csid < 3 + 16; csid++) parser.receive(Buffer.concat(e.chunks(media(csid, 10))));
    expect(() => parser.receive(Buffer.concat(e.chunks(media(40, 10))))).toThrow('more than 16 chunk streams');
  });

  it('keeps all chunk streams’ assembly buffers within the budget', () => {
    const { parser } = collect({ maxMessageBytes: 1000, bufferBudget: 1500, qualifier: '' });
    const e = enc();
    // Two unfinished 900-byte messages on two chunk streams: the second buffer would take the total past 1500.
    parser.receive(e.chunks(media(4, 900))[0]!);
    expect(() => parser.receive(e.chunks(media(5, 900))[0]!)).toThrow('chunk stream buffers would hold 1900 bytes (limit 1500)');
  });

  it('refuses chunk size 0 and control messages too short to carry their value', () => {
    const e = enc();
    const control = (type: number, payload: Buffer) => Buffer.concat(e.chunks({ csid: 2, type, streamId: 0, timestamp: 0, payload }));
    expect(() => collect().parser.receive(control(RTMP_MESSAGE.SET_CHUNK_SIZE, u32(0)))).toThrow('chunk size 0');
    expect(() => collect().parser.receive(control(RTMP_MESSAGE.SET_CHUNK_SIZE, u32(0x80000000)))).toThrow('chunk size 2147483648');
    expect(() => collect().parser.receive(control(RTMP_MESSAGE.ABORT, Buffer.alloc(2)))).toThrow('control message type 2 of 2 bytes');
  });

  it('applies Set Chunk Size to the chunks that follow it', () => {
    const { out, parser } = collect();
    const e = enc();
    parser.receive(Buffer.concat(e.chunks({ csid: 2, type: RTMP_MESSAGE.SET_CHUNK_SIZE, streamId: 0, timestamp: 0, payload: u32(50) })));
    e.chunkSize = 50;
    parser.receive(Buffer.concat(e.chunks(media(6, 120, 33))));
    expect(out).toEqual([seen(RTMP_MESSAGE.VIDEO, 1, 33, Buffer.alloc(120, 6))]);
  });

  it('drops the partial message of the chunk stream an Abort names, and the next message on it parses', () => {
    const { out, parser } = collect();
    const e = enc();
    parser.receive(e.chunks(media(6, 300))[0]!); // first 128 of 300 bytes
    parser.receive(Buffer.concat(e.chunks({ csid: 2, type: RTMP_MESSAGE.ABORT, streamId: 0, timestamp: 0, payload: u32(6) })));
    parser.receive(Buffer.concat(e.chunks(media(6, 20, 80))));
    expect(out).toEqual([seen(RTMP_MESSAGE.VIDEO, 1, 80, Buffer.alloc(20, 6))]);
  });

  it('refuses a type-0 or type-1 header on a chunk stream whose message is unfinished', () => {
    const { parser } = collect();
    const e = enc();
    parser.receive(e.chunks(media(6, 300))[0]!);
    expect(() => parser.receive(Buffer.concat(e.chunks(media(6, 20))))).toThrow('new message header on chunk stream 6 mid-message');
  });

  it('parses a header cut at every byte, an extended timestamp included', () => {
    const e = enc();
    const bytes = Buffer.concat([...e.chunks(media(6, 10, 0x1234567)), ...e.chunks(media(70, 5, 9)), ...e.chunks(media(400, 3, 10))]);
    for (let cut = 1; cut < bytes.length; cut++) {
      const { out, parser } = collect();
      parser.receive(bytes.subarray(0, cut));
      parser.receive(bytes.subarray(cut));
      expect(out.map((m) => m.timestamp)).toEqual([0x1234567, 9, 10]);
    }
  });
});
