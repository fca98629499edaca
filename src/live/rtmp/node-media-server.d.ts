// Types for the two node-media-server 4.4.3 internals we drive (the package ships plain JS without declarations).
// Only what src/live/rtmp uses is declared; the version is pinned exactly because none of this is public API.

declare module 'node-media-server/src/protocol/rtmp.js' {
  interface NmsRtmpPacketHeader {
    fmt: number;
    cid: number;
    timestamp: number;
    length: number;
    type: number;
    stream_id: number;
  }
  interface NmsRtmpPacket {
    header: NmsRtmpPacketHeader;
    /** Absolute message timestamp (ms). */
    clock: number;
    /** The message: invokeHandler decodes payload.subarray(type === 17 ? 1 : 0, header.length). */
    payload: Buffer;
    capacity: number;
    bytes: number;
  }
  /** What AMF.decodeAmf0Cmd returns: the command name plus fields named after rtmpCmdCode. */
  interface NmsInvokeMessage {
    cmd?: unknown;
    transId?: unknown;
    cmdObj?: unknown;
    streamName?: unknown;
    [field: string]: unknown;
  }
  class NmsRtmp {
    handshakeState: number;
    outChunkSize: number;
    /** Set from the peer's Window Acknowledgement Size message. */
    ackSize: number | undefined;
    objectEncoding: number;
    streamApp: string;
    /** The message the command handlers read (stream_id included). */
    parserPacket: NmsRtmpPacket;
    onOutputCallback: (buffer: Buffer) => void;

    /** Handshake, then hands everything after it to chunkRead(buffer, offset, length). */
    parserData(buffer: Buffer): string | null;
    chunkRead(data: Buffer, p: number, bytes: number): string | null;
    invokeHandler(): void;
    /** The library's own chunk parser calls these per message (test/live/rtmp/chunk-stream-parser.test.ts compares). */
    packetHandler(): void;
    controlHandler(): void;
    onConnect(invokeMessage: NmsInvokeMessage): void;
    onCreateStream(invokeMessage: NmsInvokeMessage): void;
    onPublish(invokeMessage: NmsInvokeMessage): void;
    onPlay(invokeMessage: NmsInvokeMessage): void;
    onDeleteStream(invokeMessage: NmsInvokeMessage): void;

    sendACK(size: number): void;
    sendWindowACK(size: number): void;
    setPeerBandwidth(size: number, type: number): void;
    setChunkSize(size: number): void;
    sendStatusMessage(sid: number, level: string, code: string, description: string): void;
    respondConnect(tid: unknown): void;
  }
  export = NmsRtmp;
}

declare module 'node-media-server/src/core/logger.js' {
  /** A process-wide singleton that prints with console.log. */
  const NmsLogger: { log(message: string, level?: string): void };
  export = NmsLogger;
}
