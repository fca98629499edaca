// RTMP chunk stream encoding/decoding for the client side (spec: Adobe RTMP 1.0, section 5.3).

export interface RtmpMessage {
  chunkStreamId: number;
  /** ms; 32 bits on the wire. */
  timestamp: number;
  typeId: number;
  /** Message stream id (0 = the NetConnection). */
  streamId: number;
  payload: Buffer;
}

const HEADER_SIZE_BY_FMT = [11, 7, 3, 0] as const;
const EXTENDED = 0xffffff;

function basicHeader(fmt: number, csid: number): Buffer {
  if (csid >= 64 + 256) {
    const id = csid - 64;
    return Buffer.of((fmt << 6) | 1, id & 0xff, (id >> 8) & 0xff);
  }
  if (csid >= 64) return Buffer.of(fmt << 6, csid - 64);
  return Buffer.of((fmt << 6) | csid);
}

/** One message as chunks: a type-0 header (absolute timestamp, so any order is fine), then type-3 continuations. */
export function encodeMessage(msg: RtmpMessage, chunkSize: number): Buffer {
  const timestamp = msg.timestamp >>> 0;
  const extended = timestamp >= EXTENDED;
  const first = Buffer.alloc(11 + (extended ? 4 : 0));
  first.writeUIntBE(extended ? EXTENDED : timestamp, 0, 3);
  first.writeUIntBE(msg.payload.length, 3, 3);
  first[6] = msg.typeId;
  first.writeUInt32LE(msg.streamId, 7);
  if (extended) first.writeUInt32BE(timestamp, 11);

  const continuation = basicHeader(3, msg.chunkStreamId);
  const continuationHeader = extended ? Buffer.concat([continuation, first.subarray(11)]) : continuation;
  const parts: Buffer[] = [basicHeader(0, msg.chunkStreamId), first];
  for (let offset = 0; offset < msg.payload.length; offset += chunkSize) {
    if (offset > 0) parts.push(continuationHeader);
    parts.push(msg.payload.subarray(offset, offset + chunkSize));
  }
  return Buffer.concat(parts);
}

interface ChunkStreamState {
  timestamp: number;
  /** The last 3-byte timestamp field: 0xffffff means type-3 chunks carry an extended timestamp too. */
  timestampField: number;
  delta: number;
  length: number;
  typeId: number;
  streamId: number;
  parts: Buffer[];
  received: number;
}

export class RtmpChunkError extends Error {}

/** Reassembles messages from received bytes; throws RtmpChunkError on nonsense. */
export class RtmpChunkDecoder {
  chunkSize = 128;
  private pending: Buffer = Buffer.alloc(0);
  private readonly streams = new Map<number, ChunkStreamState>();

  constructor(
    private readonly onMessage: (msg: RtmpMessage) => void,
    private readonly maxMessageBytes = 4 * 1024 * 1024,
  ) {}

  push(bytes: Buffer): void {
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, bytes]) : bytes;
    let offset = 0;
    for (let used = this.readChunk(offset); used > 0; used = this.readChunk(offset)) offset += used;
    this.pending = this.pending.subarray(offset);
  }

  /** Consumes one complete chunk at `at` and returns its size, or returns 0 (state untouched) if it is incomplete. */
  private readChunk(at: number): number {
    const buf = this.pending;
    let p = at;
    if (p >= buf.length) return 0;
    const fmt = buf[p]! >> 6;
    let csid = buf[p]! & 0x3f;
    p += 1;
    if (csid === 0 || csid === 1) {
      const extra = csid === 0 ? 1 : 2;
      if (p + extra > buf.length) return 0;
      csid = 64 + buf[p]! + (csid === 1 ? buf[p + 1]! * 256 : 0);
      p += extra;
    }
    const headerSize = HEADER_SIZE_BY_FMT[fmt]!;
    if (p + headerSize > buf.length) return 0;
    const s = this.streams.get(csid) ?? newState();
    const timestampField = fmt <= 2 ? buf.readUIntBE(p, 3) : s.timestampField;
    const length = fmt <= 1 ? buf.readUIntBE(p + 3, 3) : s.length;
    const typeId = fmt <= 1 ? buf[p + 6]! : s.typeId;
    const streamId = fmt === 0 ? buf.readUInt32LE(p + 7) : s.streamId;
    p += headerSize;
    let timestamp = timestampField;
    if (timestampField === EXTENDED) {
      if (p + 4 > buf.length) return 0;
      timestamp = buf.readUInt32BE(p);
      p += 4;
    }
    const starting = s.received === 0;
    const payloadSize = Math.min(this.chunkSize, length - (starting ? 0 : s.received));
    if (p + payloadSize > buf.length) return 0;

    if (starting && length > this.maxMessageBytes) throw new RtmpChunkError(`message of ${length} bytes`);
    Object.assign(s, { timestampField, length, typeId, streamId });
    if (starting) {
      if (fmt === 0) s.timestamp = timestamp;
      else s.timestamp += s.delta = fmt === 3 ? s.delta : timestamp;
    }
    this.streams.set(csid, s);
    s.parts.push(buf.subarray(p, p + payloadSize));
    s.received += payloadSize;
    p += payloadSize;
    if (s.received >= s.length) {
      const payload = Buffer.concat(s.parts);
      s.parts = [];
      s.received = 0;
      this.onMessage({ chunkStreamId: csid, timestamp: s.timestamp, typeId: s.typeId, streamId: s.streamId, payload });
    }
    return p - at;
  }
}

function newState(): ChunkStreamState {
  return { timestamp: 0, timestampField: 0, delta: 0, length: 0, typeId: 0, streamId: 0, parts: [], received: 0 };
}
