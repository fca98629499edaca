import type net from 'node:net';
import type { MediaPacket } from '../../media/flv-demux.js';
import type { Logger } from '../../shared/logger.js';
import type { PublishVerdict, RefusalStatus } from '../../shared/publish-verdict.js';

/**
 * What the adapter delivers is exactly what the media stage (media/flv-demux.ts) takes: the RTMP message timestamp (FLV
 * DTS, ms) and the FLV tag body as received (for AVC the signed 24-bit CTS is inside, untouched). The body is a view of the
 * parser's buffer, valid only during MediaSink.packet(): a sink that keeps bytes copies them.
 */
export type { MediaPacket };

export interface PublishRequest {
  /** Short id for logs. */
  connectionId: string;
  /** As sent in connect, e.g. 'live', 'mybucket/live', 'live/mybucket' (may carry '?query' if the user put it in the server URL). */
  app: string;
  /** As sent in connect. */
  tcUrl: string;
  /** Publish name without its query, raw (percent-decoding is the caller's job). */
  streamName: string;
  /** Raw query of the publish name, else of app, else of tcUrl; never decoded ('+' survives). '' when none. */
  rawQuery: string;
  remoteAddress: string;
  remotePort: number;
  /** The connection asking, so the accepted session can end it (channel disabled, emulator closing). */
  connection: RtmpConnection;
}

/** The publish hook's answer: the sink for the media, or the onStatus that refuses it (the one PublishVerdict shape). */
export type PublishDecision = PublishVerdict<{ sink: MediaSink }>;

export type { RefusalStatus };

export type MediaEndReason = 'closed' | 'reset' | 'timeout' | 'kicked' | 'error';

export interface MediaSink {
  /** Audio/video only, in arrival order, after the publish was accepted. `p.data` is reused after the call returns. */
  packet(p: MediaPacket): void;
  /** Called exactly once per accepted publish, however it ends. */
  end(reason: MediaEndReason): void;
}

export interface RtmpHooks {
  publish(req: PublishRequest): Promise<PublishDecision> | PublishDecision;
}

export interface RtmpConnection {
  readonly id: string;
  /**
   * Closes the connection; a live publisher's sink gets end('kicked') now. With `status`, the publisher is first sent
   * that onStatus error (ffmpeg prints it as "Server error: …") and the socket closes after it is read.
   */
  kick(reason: string, status?: RefusalStatus): void;
  /** Flow control: stop reading the socket (TCP pushes back on the publisher) until resumeInput(); not idle meanwhile. */
  pauseInput(): void;
  resumeInput(): void;
}

export interface RtmpConnectionOptions {
  /** No bytes received for this long => end('timeout') and destroy. Paused while our own publish hook decides. */
  idleTimeoutMs: number;
  /** C0+C1+C2 must be complete within this long. */
  handshakeTimeoutMs: number;
  log: Logger;
  /** Largest RTMP message accepted (default 8 MiB); hostile lengths end the connection before any allocation. */
  maxMessageBytes?: number;
  /** After a refusal we half-close and wait this long for the client to read the error and leave (default 2000). */
  refusalGraceMs?: number;
  /** Where the HTTP API is (`http://host:port`), told to an HTTP client that reached this RTMP port by mistake. */
  httpEndpoint?(): string | undefined;
  /** Connections not (yet) publishing, on both ports together; more are closed at once (default 64). */
  maxPendingConnections?: number;
}

export interface RtmpServer {
  /** Resolves with the bound port (0 picks a free one); rejects on EADDRINUSE etc. */
  listen(port: number, host: string): Promise<number>;
  /** Stops listening, kicks every connection (publishers get end('kicked')), resolves when all sockets are closed. */
  close(): Promise<void>;
  /** Adopts a socket accepted elsewhere (the HTTP port's protocol sniffer), with the bytes already read from it. */
  handleSocket(socket: net.Socket, firstChunk?: Buffer): void;
}
