// Drives node-media-server's sans-IO RTMP class for the handshake, AMF command decoding and reply encoders; the chunk
// stream after the handshake is ours (chunk-stream-parser.ts: no per-byte header state machine, no copy of a message
// that arrives whole, the limits the library lacks). Also replaced: the publish reply (ours comes after the hook
// decides), tcUrl parsing that throws, and media decoding that mangles negative CTS.
import NmsRtmp from 'node-media-server/src/protocol/rtmp.js';
import nmsLogger from 'node-media-server/src/core/logger.js';
import { RTMP_MESSAGE } from '../../media/rtmp-message-types.js';
import { ChunkStreamParser, controlValue, RtmpProtocolViolation } from './chunk-stream-parser.js';

// The library console.logs what hostile input triggers ("Unknown field", "Unknown command"): a client could flood
// our stdout. We log one line per violation ourselves, so its (process-wide, otherwise unused) logger goes quiet.
nmsLogger.log = () => {};

const HANDSHAKE_DONE = 3; // RTMP_HANDSHAKE_2 in rtmp.js: C0, C1 and C2 consumed

const {
  ACKNOWLEDGEMENT: MSG_ACKNOWLEDGEMENT,
  WINDOW_ACK_SIZE: MSG_WINDOW_ACK_SIZE,
  SET_PEER_BANDWIDTH: MSG_SET_PEER_BANDWIDTH,
  AUDIO: MSG_AUDIO,
  VIDEO: MSG_VIDEO,
  COMMAND_AMF3: MSG_COMMAND_AMF3,
  COMMAND_AMF0: MSG_COMMAND_AMF0,
  AGGREGATE: MSG_AGGREGATE,
} = RTMP_MESSAGE;

/** Commands the library acts on; it only logs the others (releaseStream, FCPublish, FCUnpublish, ...) to stdout. */
const HANDLED_COMMANDS = new Set(['connect', 'createStream', 'publish', 'play', 'deleteStream']);

/** The window we announce (node-media-server's value); the client should acknowledge us at this rate. */
export const SERVER_WINDOW_ACK_SIZE = 5_000_000;

/**
 * Before a publish is authorised a connection only needs room for commands (connect, createStream, publish: a few
 * hundred bytes; onMetaData a few KB): a bare connection must not make us reserve megabytes (issue 14 item 10).
 */
export const PRE_AUTH_MAX_MESSAGE_BYTES = 64 * 1024;
const PRE_AUTH_BUFFER_BUDGET = 256 * 1024;

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
  private readonly chunks: ChunkStreamParser;

  constructor(
    private readonly events: RtmpProtocolEvents,
    private readonly maxMessageBytes: number,
  ) {
    super();
    this.onOutputCallback = (bytes) => events.output(bytes);
    this.chunks = new ChunkStreamParser((type, streamId, timestamp, payload) => this.onMessage(type, streamId, timestamp, payload), {
      maxMessageBytes: Math.min(maxMessageBytes, PRE_AUTH_MAX_MESSAGE_BYTES),
      bufferBudget: PRE_AUTH_BUFFER_BUDGET,
      qualifier: ' before the publish is authorised',
    });
  }

  /** Media-sized messages from now on; all chunk streams' buffers together: two full messages' worth. */
  authorise(): void {
    this.chunks.limits = { maxMessageBytes: this.maxMessageBytes, bufferBudget: 2 * this.maxMessageBytes, qualifier: '' };
  }

  /** The library calls this with the rest of the read that completes the handshake: our parser takes it from there. */
  override chunkRead(data: Buffer, p: number, bytes: number): null {
    this.chunks.receive(data, p, p + bytes);
    return null;
  }

  /** Every later read goes straight to our parser. */
  receive(bytes: Buffer): void {
    if (this.handshakeState >= HANDSHAKE_DONE) return this.chunks.receive(bytes);
    const error = this.parserData(bytes);
    if (error !== null) throw new RtmpProtocolViolation(error);
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

  /** One complete message (Set Chunk Size and Abort were applied by the chunk parser). */
  private onMessage(type: number, streamId: number, timestamp: number, payload: Buffer): void {
    switch (type) {
      case MSG_AUDIO:
      case MSG_VIDEO:
        return this.media(type, timestamp, payload);
      case MSG_AGGREGATE:
        return this.splitAggregate(timestamp, payload);
      case MSG_COMMAND_AMF0:
      case MSG_COMMAND_AMF3:
        return this.command(type, streamId, timestamp, payload);
      case MSG_ACKNOWLEDGEMENT:
      case MSG_WINDOW_ACK_SIZE:
      case MSG_SET_PEER_BANDWIDTH: {
        const value = controlValue(type, payload);
        if (type === MSG_WINDOW_ACK_SIZE) this.ackSize = value;
        return;
      }
      default:
        // User control events, data messages (onMetaData, @setDataFrame: codec facts come from the bitstream), shared
        // objects: nothing to do.
        return;
    }
  }

  /** Commands go through the library's AMF decoding and handlers, which read the message from parserPacket. */
  private command(type: number, streamId: number, timestamp: number, payload: Buffer): void {
    const name = leadingAmf0String(payload.subarray(type === MSG_COMMAND_AMF3 ? 1 : 0));
    if (name === undefined) throw new RtmpProtocolViolation('command message without an AMF0 command name');
    if (!HANDLED_COMMANDS.has(name)) return;
    const packet = this.parserPacket;
    Object.assign(packet.header, { type, length: payload.length, stream_id: streamId, timestamp });
    packet.clock = timestamp;
    packet.payload = payload;
    this.invokeHandler();
  }

  /** Audio and video go on as views (valid during the call). */
  private media(type: typeof MSG_AUDIO | typeof MSG_VIDEO, timestamp: number, body: Buffer): void {
    this.events.media(type === MSG_AUDIO ? 'audio' : 'video', timestamp, body);
  }

  /** Aggregate = back-to-back FLV tags; their timestamps are relative to the first one's. */
  private splitAggregate(timestamp: number, body: Buffer): void {
    let offset = 0;
    let firstTagTime: number | undefined;
    while (offset + 11 <= body.length) {
      const type = body[offset]!;
      const size = body.readUIntBE(offset + 1, 3);
      const tagTime = (body.readUIntBE(offset + 4, 3) | (body[offset + 7]! << 24)) >>> 0;
      const start = offset + 11;
      if (start + size > body.length) throw new RtmpProtocolViolation('truncated aggregate message');
      firstTagTime ??= tagTime;
      if (type === MSG_AUDIO || type === MSG_VIDEO)
        this.media(type, timestamp + tagTime - firstTagTime, body.subarray(start, start + size));
      offset = start + size + 4; // + PreviousTagSize
    }
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
      rtmp.receive(bytes);
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
      rtmp.authorise();
    },
  };
}
