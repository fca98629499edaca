// Drives node-media-server's sans-IO RTMP class (handshake, chunk parser, AMF, reply encoders) and replaces the parts
// that do not fit: the publish reply (ours comes after the hook decides), tcUrl parsing that throws, media decoding
// that mangles negative CTS and hands out a reused buffer, and the missing limits on chunk size / message length.
import NmsRtmp from 'node-media-server/src/protocol/rtmp.js';
import nmsLogger from 'node-media-server/src/core/logger.js';
import { RTMP_MESSAGE } from '../../media/rtmp-message-types.js';

// The library console.logs what hostile input triggers ("Unknown field", "Unknown command"): a client could flood
// our stdout. We log one line per violation ourselves, so its (process-wide, otherwise unused) logger goes quiet.
nmsLogger.log = () => {};

const HANDSHAKE_DONE = 3; // RTMP_HANDSHAKE_2 in rtmp.js: C0, C1 and C2 consumed

const {
  SET_CHUNK_SIZE: MSG_SET_CHUNK_SIZE,
  ABORT: MSG_ABORT,
  ACKNOWLEDGEMENT: MSG_ACKNOWLEDGEMENT,
  WINDOW_ACK_SIZE: MSG_WINDOW_ACK_SIZE,
  SET_PEER_BANDWIDTH: MSG_SET_PEER_BANDWIDTH,
  AUDIO: MSG_AUDIO,
  VIDEO: MSG_VIDEO,
  COMMAND_AMF3: MSG_COMMAND_AMF3,
  AGGREGATE: MSG_AGGREGATE,
} = RTMP_MESSAGE;

/** Commands the library acts on; it only logs the others (releaseStream, FCPublish, FCUnpublish, ...) to stdout. */
const HANDLED_COMMANDS = new Set(['connect', 'createStream', 'publish', 'play', 'deleteStream']);

/** The window we announce (node-media-server's value); the client should acknowledge us at this rate. */
export const SERVER_WINDOW_ACK_SIZE = 5_000_000;
/** Enough for ffmpeg/OBS (they use 4-6 chunk streams); bounds per-connection buffers. */
const MAX_CHUNK_STREAMS = 16;

/**
 * Before a publish is authorised a connection only needs room for commands (connect, createStream, publish: a few
 * hundred bytes; onMetaData a few KB): a bare connection must not make us reserve megabytes (issue 14 item 10).
 */
export const PRE_AUTH_MAX_MESSAGE_BYTES = 64 * 1024;
const PRE_AUTH_BUFFER_BUDGET = 256 * 1024;

/** Raised from inside the parser; the connection closes with end('error'). */
export class RtmpProtocolViolation extends Error {}

export interface RtmpProtocolEvents {
  output(bytes: Buffer): void;
  connect(cmd: { app: string; tcUrl: string }): void;
  publish(cmd: { publishName: string; streamId: number }): void;
  play(cmd: { streamId: number }): void;
  deleteStream(): void;
  /** body is exactly the message payload (the FLV tag body), a view of the parser's memory: valid during the call only. */
  media(type: 'audio' | 'video', timestamp: number, body: Buffer): void;
}

export interface RtmpProtocol {
  /** Feeds received bytes; throws on protocol violations (the caller ends the connection). */
  receive(bytes: Buffer): void;
  readonly handshakeDone: boolean;
  /** The peer's Window Acknowledgement Size if it sent one. */
  readonly peerAckWindow: number | undefined;
  sendAcknowledgement(sequenceNumber: number): void;
  sendStatus(streamId: number, level: 'status' | 'error', code: string, description: string): void;
  /** The publish was accepted: media-sized messages allowed from now on. */
  authorise(): void;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class GuardedRtmp extends NmsRtmp {
  authorised = false;

  constructor(
    private readonly events: RtmpProtocolEvents,
    private readonly maxMessageBytes: number,
  ) {
    super();
    this.onOutputCallback = (bytes) => events.output(bytes);
  }

  override onConnect(msg: Parameters<NmsRtmp['onConnect']>[0]): void {
    // The library does `new URL(tcUrl)` here and throws on a missing or odd tcUrl; we only need the strings.
    const cmdObj = isRecord(msg.cmdObj) ? msg.cmdObj : {};
    const app = typeof cmdObj.app === 'string' ? cmdObj.app : '';
    const tcUrl = typeof cmdObj.tcUrl === 'string' ? cmdObj.tcUrl : '';
    this.streamApp = app;
    this.objectEncoding = typeof cmdObj.objectEncoding === 'number' ? cmdObj.objectEncoding : 0;
    this.sendWindowACK(SERVER_WINDOW_ACK_SIZE);
    this.setPeerBandwidth(SERVER_WINDOW_ACK_SIZE, 2);
    this.setChunkSize(this.outChunkSize);
    this.respondConnect(msg.transId);
    this.events.connect({ app, tcUrl });
  }

  override onPublish(msg: Parameters<NmsRtmp['onPublish']>[0]): void {
    // The library would answer NetStream.Publish.Start right here, before anyone could refuse.
    const publishName = typeof msg.streamName === 'string' ? msg.streamName : '';
    this.events.publish({ publishName, streamId: this.parserPacket.header.stream_id });
  }

  override onPlay(): void {
    this.events.play({ streamId: this.parserPacket.header.stream_id });
  }

  override onDeleteStream(): void {
    this.events.deleteStream();
  }

  override packetParse(): void {
    super.packetParse();
    // A type 0/1 header while this chunk stream's message is unfinished may shrink its length below what was
    // received; the library then computes a negative size and re-parses bytes it already consumed.
    if (this.parserPacket.header.fmt <= 1 && this.parserPacket.bytes > 0) {
      throw new RtmpProtocolViolation(`new message header on chunk stream ${this.parserPacket.header.cid} mid-message`);
    }
  }

  override packetAlloc(): void {
    // Runs once per message, right after its first chunk header: refuse before allocating length + 1024 bytes.
    const { length } = this.parserPacket.header;
    const limit = this.authorised ? this.maxMessageBytes : Math.min(this.maxMessageBytes, PRE_AUTH_MAX_MESSAGE_BYTES);
    if (length > limit) {
      const when = this.authorised ? '' : ' before the publish is authorised';
      throw new RtmpProtocolViolation(`message length ${length} exceeds ${limit}${when}`);
    }
    if (this.inPackets.size > MAX_CHUNK_STREAMS) {
      throw new RtmpProtocolViolation(`more than ${MAX_CHUNK_STREAMS} chunk streams`);
    }
    if (this.parserPacket.capacity >= length) return;
    // All chunk streams' buffers together stay within a budget: pre-auth small, then two full messages' worth.
    const budget = this.authorised ? 2 * this.maxMessageBytes : PRE_AUTH_BUFFER_BUDGET;
    let held = 0;
    for (const packet of this.inPackets.values()) if (packet !== this.parserPacket) held += packet.capacity;
    if (held + length > budget) {
      throw new RtmpProtocolViolation(`chunk stream buffers would hold ${held + length} bytes (limit ${budget})`);
    }
    // Not zero-filled: pages are only touched as bytes arrive (the library adds 1 KB and zero-fills, so an
    // announced-but-unsent message cost its full size in RSS). The buffer is reused by every later message of this
    // chunk stream that fits (media is handed to the sink as a view, valid during the call only: no allocation per
    // message, which kept V8 running a mark-compact every second on external-memory pressure). Room for a quarter
    // more, within the limit, so a stream whose keyframes grow a little does not reallocate each time.
    const capacity = Math.min(Math.ceil(length * 1.25), limit, budget - held); // >= length: both were checked above
    this.parserPacket.payload = Buffer.allocUnsafeSlow(capacity);
    this.parserPacket.capacity = capacity;
  }

  override packetHandler(): void {
    if (this.parserPacket.header.type === MSG_AGGREGATE) {
      this.splitAggregate();
      return;
    }
    super.packetHandler();
  }

  override invokeHandler(): void {
    const { type, length } = this.parserPacket.header;
    const body = this.parserPacket.payload.subarray(type === MSG_COMMAND_AMF3 ? 1 : 0, length);
    const name = leadingAmf0String(body);
    if (name === undefined) throw new RtmpProtocolViolation('command message without an AMF0 command name');
    if (HANDLED_COMMANDS.has(name)) super.invokeHandler();
  }

  override controlHandler(): void {
    const { type, length } = this.parserPacket.header;
    const payload = this.parserPacket.payload;
    const carriesUint32: readonly number[] = [
      MSG_SET_CHUNK_SIZE,
      MSG_ABORT,
      MSG_ACKNOWLEDGEMENT,
      MSG_WINDOW_ACK_SIZE,
      MSG_SET_PEER_BANDWIDTH,
    ];
    if (carriesUint32.includes(type) && length < 4) {
      // The library would read stale bytes of the reused payload buffer.
      throw new RtmpProtocolViolation(`control message type ${type} of ${length} bytes`);
    }
    if (type === MSG_SET_CHUNK_SIZE) {
      const size = payload.readUInt32BE(0);
      // 0 makes the library's parser compute NaN sizes and silently swallow the rest of the stream.
      if (size < 1 || size > 0x7fffffff) throw new RtmpProtocolViolation(`chunk size ${size}`);
    }
    if (type === MSG_ABORT) {
      // The library ignores Abort; drop the partial message of that chunk stream as the spec says.
      const partial = this.inPackets.get(payload.readUInt32BE(0));
      if (partial) partial.bytes = 0;
      return;
    }
    super.controlHandler();
  }

  override dataHandler(): void {
    const { type, length } = this.parserPacket.header;
    this.deliver(type, this.parserPacket.clock, this.parserPacket.payload.subarray(0, length));
  }

  /** Aggregate = back-to-back FLV tags; their timestamps are relative to the first one's. */
  private splitAggregate(): void {
    const body = this.parserPacket.payload.subarray(0, this.parserPacket.header.length);
    let offset = 0;
    let firstTagTime: number | undefined;
    while (offset + 11 <= body.length) {
      const type = body[offset]!;
      const size = body.readUIntBE(offset + 1, 3);
      const tagTime = (body.readUIntBE(offset + 4, 3) | (body[offset + 7]! << 24)) >>> 0;
      const start = offset + 11;
      if (start + size > body.length) throw new RtmpProtocolViolation('truncated aggregate message');
      firstTagTime ??= tagTime;
      this.deliver(type, this.parserPacket.clock + tagTime - firstTagTime, body.subarray(start, start + size));
      offset = start + size + 4; // + PreviousTagSize
    }
  }

  /**
   * Audio and video go on, as views of the parser's buffer (valid during the call); data messages (onMetaData,
   * @setDataFrame) are dropped: codec facts come from the bitstream.
   */
  private deliver(type: number, timestamp: number, body: Buffer): void {
    if (type === MSG_AUDIO || type === MSG_VIDEO) this.events.media(type === MSG_AUDIO ? 'audio' : 'video', timestamp, body);
  }
}

/** The AMF0 string an AMF0 command/data message starts with (its name), if any. */
function leadingAmf0String(body: Buffer): string | undefined {
  if (body.length < 3 || body[0] !== 0x02) return undefined;
  const end = 3 + body.readUInt16BE(1);
  return end <= body.length ? body.toString('utf8', 3, end) : undefined;
}

export function createRtmpProtocol(events: RtmpProtocolEvents, opts: { maxMessageBytes: number }): RtmpProtocol {
  const rtmp = new GuardedRtmp(events, opts.maxMessageBytes);
  return {
    receive(bytes) {
      const error = rtmp.parserData(bytes);
      if (error !== null) throw new RtmpProtocolViolation(error);
    },
    get handshakeDone() {
      return rtmp.handshakeState >= HANDSHAKE_DONE;
    },
    get peerAckWindow() {
      return rtmp.ackSize;
    },
    sendAcknowledgement(sequenceNumber) {
      rtmp.sendACK(sequenceNumber >>> 0); // the field is 32 bits and wraps; the library's writeUInt32BE would throw
    },
    sendStatus(streamId, level, code, description) {
      // node-media-server's AMF0 string encoder writes the UTF-16 length before the UTF-8 bytes, so any non-ASCII
      // character (an emoji channel name in the description) corrupts the message: send non-ASCII percent-encoded.
      rtmp.sendStatusMessage(
        streamId,
        level,
        code,
        description.replace(/[^\x20-\x7e]/gu, (c) => encodeURIComponent(c)),
      );
    },
    authorise() {
      rtmp.authorised = true;
    },
  };
}
