// The RTMP chunk stream after the handshake (Adobe RTMP 1.0 §5.3): chunk headers in, whole messages out. A message
// that arrives whole in one read and one chunk (audio, commands, small video frames) is handed on as a view of the
// read; only a message split across chunks or reads is assembled, into its chunk stream's reused buffer.
import { RTMP_MESSAGE } from '../../media/rtmp-message-types.js';

/** Raised from inside the parser; the connection closes with end('error'). */
export class RtmpProtocolViolation extends Error {}

/** A complete message. `payload` is a view of the read or of the parser's buffer: valid during the call only. */
export type ChunkMessageHandler = (type: number, streamId: number, timestamp: number, payload: Buffer) => void;

export interface ChunkStreamLimits {
  /** Longest message accepted; longer announcements end the connection before anything is allocated. */
  maxMessageBytes: number;
  /** All chunk streams' assembly buffers together. */
  bufferBudget: number;
  /** Appended to the "message length exceeds" reason (e.g. ' before the publish is authorised'). */
  qualifier: string;
}

/** Enough for ffmpeg/OBS (they use 4-6 chunk streams); bounds per-connection buffers. */
export const MAX_CHUNK_STREAMS = 16;
const DEFAULT_CHUNK_SIZE = 128;
const EXTENDED_TIMESTAMP = 0xffffff;
/** Basic header (up to 3) + type-0 message header (11) + extended timestamp (4). */
const MAX_CHUNK_HEADER = 18;
const MESSAGE_HEADER_SIZE = [11, 7, 3, 0] as const;

/** What a chunk stream remembers between chunks: the last header's fields and the message being assembled. */
class ChunkStream {
  /** The last 3-byte timestamp field (absolute for type 0, a delta otherwise); 0xffffff = extended timestamps follow. */
  timestampField = 0;
  /** The last extended timestamp read (used when timestampField is 0xffffff). */
  extendedTimestamp = 0;
  /** The current message's absolute timestamp (ms), accumulated from deltas as ffmpeg and node-media-server do. */
  clock = 0;
  length = 0;
  type = 0;
  streamId = 0;
  /** Bytes of the current message received so far (0 = the next chunk starts a message). */
  received = 0;
  buffer: Buffer | undefined;

  constructor(readonly id: number) {}
}

/**
 * Sans-IO chunk-stream parser: feed it reads with receive(); it calls the handler once per complete message, in order.
 * Set Chunk Size and Abort (chunk-layer control) are applied here and not passed on. Throws RtmpProtocolViolation.
 */
export class ChunkStreamParser {
  private chunkSize = DEFAULT_CHUNK_SIZE;
  private readonly streams = new Map<number, ChunkStream>();
  /** The chunk stream whose payload is being read, or undefined between chunks. */
  private current: ChunkStream | undefined;
  /** Payload bytes of the current chunk still to come. */
  private chunkRemaining = 0;
  /** A chunk header split across reads, gathered here (at most MAX_CHUNK_HEADER bytes). */
  private readonly headerBytes = Buffer.alloc(MAX_CHUNK_HEADER);
  private headerHeld = 0;
  /** Size of the header readHeader() parsed last. */
  private headerSize = 0;

  constructor(
    private readonly onMessage: ChunkMessageHandler,
    public limits: ChunkStreamLimits,
  ) {}

  /** Parses data[start..end) (the whole buffer by default). */
  receive(data: Buffer, start = 0, end = data.length): void {
    let p = start;
    if (this.headerHeld > 0) {
      // Complete the held header with as many bytes as it could need; what it does not use is read again below.
      const take = Math.min(MAX_CHUNK_HEADER - this.headerHeld, end - p);
      data.copy(this.headerBytes, this.headerHeld, p, p + take);
      if (this.readHeader(this.headerBytes, 0, this.headerHeld + take) === undefined) {
        this.headerHeld += take;
        return;
      }
      p += this.headerSize - this.headerHeld;
      this.headerHeld = 0;
    }
    for (;;) {
      if (this.current === undefined) {
        if (p >= end) return;
        const cs = this.readHeader(data, p, end);
        if (cs === undefined) {
          data.copy(this.headerBytes, 0, p, end);
          this.headerHeld = end - p;
          return;
        }
        p += this.headerSize;
        // A message that starts and ends in this chunk, all of it in this read: a view, no copy.
        if (cs.received === 0 && this.chunkRemaining === cs.length && p + cs.length <= end) {
          this.current = undefined;
          this.deliver(cs, data.subarray(p, p + cs.length));
          p += cs.length;
          continue;
        }
      } else if (p >= end && this.chunkRemaining > 0) return;
      p = this.readPayload(data, p, end);
    }
  }

  /**
   * Parses the chunk header at buf[at..end): makes its chunk stream current and returns it (headerSize = the header's
   * size), or returns undefined and changes nothing when the header is not complete yet.
   */
  private readHeader(buf: Buffer, at: number, end: number): ChunkStream | undefined {
    let p = at;
    const first = buf[p++]!;
    const fmt = first >> 6;
    let id = first & 0x3f;
    if (id === 0) {
      if (p + 1 > end) return undefined;
      id = 64 + buf[p++]!;
    } else if (id === 1) {
      if (p + 2 > end) return undefined;
      id = 64 + buf[p]! + buf[p + 1]! * 256;
      p += 2;
    }
    const headerEnd = p + MESSAGE_HEADER_SIZE[fmt]!;
    if (headerEnd > end) return undefined;
    let cs = this.streams.get(id);
    const timestampField = fmt <= 2 ? (buf[p]! << 16) | (buf[p + 1]! << 8) | buf[p + 2]! : (cs?.timestampField ?? 0);
    const extended = timestampField === EXTENDED_TIMESTAMP;
    if (extended && headerEnd + 4 > end) return undefined;

    // Complete: from here on the header is applied.
    if (cs === undefined) {
      cs = new ChunkStream(id);
      this.streams.set(id, cs);
    }
    if (fmt <= 1 && cs.received > 0) {
      // A new length/type while a message is unfinished would make the rest of it unparseable.
      throw new RtmpProtocolViolation(`new message header on chunk stream ${id} mid-message`);
    }
    cs.timestampField = timestampField;
    if (fmt <= 1) {
      cs.length = (buf[p + 3]! << 16) | (buf[p + 4]! << 8) | buf[p + 5]!;
      cs.type = buf[p + 6]!;
      if (fmt === 0) cs.streamId = buf.readUInt32LE(p + 7);
    }
    this.headerSize = headerEnd - at;
    if (extended) {
      cs.extendedTimestamp = buf.readUInt32BE(headerEnd); // type-3 chunks of such a message repeat it (ffmpeg, OBS)
      this.headerSize += 4;
    }
    if (cs.received === 0) this.startMessage(cs, fmt, extended ? cs.extendedTimestamp : timestampField);
    this.current = cs;
    this.chunkRemaining = Math.min(this.chunkSize - (cs.received % this.chunkSize), cs.length - cs.received);
    return cs;
  }

  private startMessage(cs: ChunkStream, fmt: number, timestamp: number): void {
    cs.clock = fmt === 0 ? timestamp : cs.clock + timestamp;
    const { maxMessageBytes, qualifier } = this.limits;
    if (cs.length > maxMessageBytes) {
      throw new RtmpProtocolViolation(`message length ${cs.length} exceeds ${maxMessageBytes}${qualifier}`);
    }
    if (this.streams.size > MAX_CHUNK_STREAMS) throw new RtmpProtocolViolation(`more than ${MAX_CHUNK_STREAMS} chunk streams`);
  }

  /** Reads payload bytes of the current chunk into its message buffer; returns the new read position. */
  private readPayload(data: Buffer, p: number, end: number): number {
    const cs = this.current!;
    const n = Math.min(this.chunkRemaining, end - p);
    if (n > 0) {
      const buffer = cs.buffer !== undefined && cs.buffer.length >= cs.length ? cs.buffer : this.grow(cs);
      data.copy(buffer, cs.received, p, p + n);
      cs.received += n;
      this.chunkRemaining -= n;
    }
    if (cs.received >= cs.length) {
      this.current = undefined;
      cs.received = 0;
      this.deliver(cs, cs.buffer === undefined ? data.subarray(0, 0) : cs.buffer.subarray(0, cs.length));
    } else if (this.chunkRemaining === 0) {
      this.current = undefined;
    }
    return p + n;
  }

  /**
   * A buffer for assembling this chunk stream's message, within the budget for all of them. Not zero-filled (pages
   * are touched only as bytes arrive); room for a quarter more, so a stream whose keyframes grow a little does not
   * reallocate each time.
   */
  private grow(cs: ChunkStream): Buffer {
    const { maxMessageBytes, bufferBudget } = this.limits;
    let held = 0;
    for (const other of this.streams.values()) if (other !== cs && other.buffer) held += other.buffer.length;
    if (held + cs.length > bufferBudget) {
      throw new RtmpProtocolViolation(`chunk stream buffers would hold ${held + cs.length} bytes (limit ${bufferBudget})`);
    }
    const capacity = Math.min(Math.ceil(cs.length * 1.25), maxMessageBytes, bufferBudget - held); // >= length
    cs.buffer = Buffer.allocUnsafeSlow(capacity);
    return cs.buffer;
  }

  private deliver(cs: ChunkStream, payload: Buffer): void {
    // Beyond 32 bits the timestamp cannot be represented; node-media-server dropped such messages, and so do we.
    if (cs.clock > 0xffffffff) return;
    if (cs.type === RTMP_MESSAGE.SET_CHUNK_SIZE || cs.type === RTMP_MESSAGE.ABORT) return this.control(cs.type, payload);
    this.onMessage(cs.type, cs.streamId, cs.clock, payload);
  }

  private control(type: number, payload: Buffer): void {
    const value = controlValue(type, payload);
    if (type === RTMP_MESSAGE.SET_CHUNK_SIZE) {
      if (value < 1 || value > 0x7fffffff) throw new RtmpProtocolViolation(`chunk size ${value}`);
      this.chunkSize = value;
    } else {
      // Abort: the partial message of that chunk stream is dropped.
      const partial = this.streams.get(value);
      if (partial) partial.received = 0;
    }
  }
}

/**
 * The 32-bit value a protocol control message carries (Set Chunk Size, Abort, Acknowledgement, Window Acknowledgement
 * Size, Set Peer Bandwidth); a shorter message is a violation (reading it would read stale bytes).
 */
export function controlValue(type: number, payload: Buffer): number {
  if (payload.length < 4) throw new RtmpProtocolViolation(`control message type ${type} of ${payload.length} bytes`);
  return payload.readUInt32BE(0);
}
