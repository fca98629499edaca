// One RTMP socket: owns it, feeds the protocol parser, asks the publish hook, and guarantees exactly one
// sink.end() per accepted publish however the connection ends.
import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import type { Logger } from '../../shared/logger.js';
import { splitPublishName } from './publish-name.js';
import { createRtmpProtocol, SERVER_WINDOW_ACK_SIZE, type RtmpProtocol } from './rtmp-protocol.js';
import type {
  MediaEndReason,
  MediaPacket,
  MediaSink,
  PublishDecision,
  PublishRequest,
  RefusalStatus,
  RtmpConnection,
  RtmpConnectionOptions,
  RtmpHooks,
} from './types.js';

const RTMP_VERSION = 3; // C0; 6 would be RTMPE, which we do not speak
const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
const DEFAULT_REFUSAL_GRACE_MS = 2000;
/** Clients wait for Publish.Start before sending media; anything sent earlier is held up to this much. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;

/** setup: before publish; deciding: our hook runs; unpublished: deleteStream seen; refused: half-closed, ignoring input. */
type Phase = 'setup' | 'deciding' | 'publishing' | 'unpublished' | 'refused' | 'closed';

/** How bytes reach a session reading into a buffer of ours (user-buffer-socket.ts) instead of 'data' events. */
export interface SocketReading {
  /** Installs the session's reader: it gets each read (valid during the call) and returns false to stop reading. */
  readInto(reader: (bytes: Buffer) => boolean): void;
}

class RtmpSocketSession implements RtmpConnection {
  readonly id = randomBytes(4).toString('hex');
  private readonly protocol: RtmpProtocol;
  private readonly log: Logger;
  private readonly remoteAddress: string;
  private readonly remotePort: number;
  private phase: Phase = 'setup';
  /** Told once when a publish is accepted (the server stops counting this connection as unauthenticated). */
  onAuthorised: (() => void) | undefined;
  private inputPaused = false;
  private publishStreamId = 0;
  /** Which stream this connection publishes, repeated on its last log line. */
  private published: { app: string; streamName: string } | undefined;
  private app = '';
  private tcUrl = '';
  private sink: MediaSink | undefined;
  private sinkEnded = false;
  /** Why the socket went away; also answers a hook that accepts after the client already left. */
  private goneReason: MediaEndReason | undefined;
  private held: MediaPacket[] = [];
  private heldBytes = 0;
  private bytesIn = 0;
  private bytesAcknowledged = 0;
  private firstByteSeen = false;
  private lastSocketError: NodeJS.ErrnoException | undefined;
  private readonly idleTimer: NodeJS.Timeout;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: net.Socket,
    private readonly hooks: RtmpHooks,
    private readonly opts: RtmpConnectionOptions,
    firstChunk: Buffer | undefined,
    private readonly reading: SocketReading | undefined,
  ) {
    this.log = opts.log;
    this.remoteAddress = socket.remoteAddress ?? '';
    this.remotePort = socket.remotePort ?? 0;
    this.protocol = createRtmpProtocol(
      {
        output: (bytes) => {
          if (!socket.destroyed && socket.writable) socket.write(bytes);
        },
        connect: ({ app, tcUrl }) => {
          this.app = app;
          this.tcUrl = tcUrl;
          this.log.debug({ conn: this.id, app, tcUrl }, 'rtmp connect');
        },
        publish: ({ publishName, streamId }) => this.onPublish(publishName, streamId),
        play: ({ streamId }) => this.refusePlay(streamId),
        deleteStream: () => {
          if (this.phase !== 'publishing') return;
          this.phase = 'unpublished';
          this.endSink('closed');
        },
        media: (type, timestamp, data) => this.onMedia({ type, timestamp, data }),
      },
      { maxMessageBytes: opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES },
    );

    this.idleTimer = setTimeout(() => this.onIdle(), opts.idleTimeoutMs);
    this.handshakeTimer = setTimeout(() => this.abort('timeout', 'rtmp handshake timed out'), opts.handshakeTimeoutMs);
    socket.setNoDelay(true);
    socket.allowHalfOpen = true; // we answer the client's EOF ourselves, after telling FIN from RST (onEof)
    if (reading) {
      reading.readInto((bytes) => {
        this.onBytes(bytes);
        return !this.inputPaused;
      });
    } else socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    socket.on('end', () => this.onEof());
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.lastSocketError = err;
      this.log.debug({ conn: this.id, err: err.message }, 'rtmp socket error');
    });
    socket.on('close', (hadError) => this.teardown(hadError ? endReasonOf(this.lastSocketError) : 'closed'));
    this.log.debug({ conn: this.id, remote: `${this.remoteAddress}:${this.remotePort}` }, 'rtmp connection');
    if (firstChunk && firstChunk.length > 0) this.onBytes(firstChunk);
    socket.resume(); // a sniffer may have left the socket paused
  }

  pauseInput(): void {
    if (this.phase === 'closed' || this.inputPaused) return;
    this.inputPaused = true;
    this.socket.pause();
  }

  resumeInput(): void {
    if (!this.inputPaused) return;
    this.inputPaused = false;
    this.idleTimer.refresh();
    if (this.phase !== 'closed') this.socket.resume();
  }

  kick(reason: string, status?: RefusalStatus): void {
    if (this.phase === 'closed') return;
    this.log.info({ conn: this.id, reason }, 'rtmp connection kicked');
    const notify = status !== undefined && this.phase === 'publishing';
    if (notify) this.protocol.sendStatus(this.publishStreamId, 'error', status.code, status.description);
    this.teardown('kicked');
    if (notify) this.closeAfterReply();
    else this.socket.destroy();
  }

  /**
   * libuv reports a RST that arrives together with data as a plain EOF (POLLHUP after a partial read), about 1 in 8
   * on loopback. The reset is still pending on the socket, so a write fails at once; after a real FIN it succeeds.
   */
  private onEof(): void {
    if (this.phase === 'publishing' || this.phase === 'deciding') {
      this.protocol.sendAcknowledgement(this.bytesIn); // harmless to a live peer: it is a valid RTMP message
      if (this.socket.errored) {
        this.teardown('reset');
        this.socket.destroy();
        return;
      }
    }
    this.teardown('closed');
    this.socket.end();
  }

  private onBytes(chunk: Buffer): void {
    if (this.phase === 'refused' || this.phase === 'closed') return;
    this.bytesIn += chunk.length;
    this.idleTimer.refresh();
    if (!this.firstByteSeen && chunk.length > 0) {
      this.firstByteSeen = true;
      if (chunk[0] !== RTMP_VERSION) {
        if (/^[A-Z]{3,7} \S/.test(chunk.toString('latin1', 0, 16))) return this.answerHttp();
        this.abort('error', `not RTMP: first byte 0x${chunk[0]!.toString(16).padStart(2, '0')}`);
        return;
      }
    }
    try {
      this.protocol.receive(chunk);
    } catch (err) {
      this.abort('error', `rtmp protocol error: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (this.handshakeTimer && this.protocol.handshakeDone) {
      clearTimeout(this.handshakeTimer);
      this.handshakeTimer = undefined;
    }
    this.acknowledge();
  }

  /** RTMP wants an Acknowledgement every window of received bytes; node-media-server never sends one. */
  private acknowledge(): void {
    if (!this.protocol.handshakeDone || this.phase === 'closed') return;
    // The peer's announced window if any, else the one we announced (ffmpeg and OBS announce none when publishing).
    const window = this.protocol.peerAckWindow ?? SERVER_WINDOW_ACK_SIZE;
    if (window > 0 && this.bytesIn - this.bytesAcknowledged >= window) {
      this.protocol.sendAcknowledgement(this.bytesIn);
      this.bytesAcknowledged = this.bytesIn;
    }
  }

  private onPublish(publishName: string, streamId: number): void {
    if (this.phase !== 'setup') {
      this.log.warn({ conn: this.id, publishName }, 'rtmp: ignoring a second publish on one connection');
      return;
    }
    this.phase = 'deciding';
    const { streamName, rawQuery } = splitPublishName(publishName, this.app, this.tcUrl);
    const req: PublishRequest = {
      connectionId: this.id,
      app: this.app,
      tcUrl: this.tcUrl,
      streamName,
      rawQuery,
      remoteAddress: this.remoteAddress,
      remotePort: this.remotePort,
      connection: this,
    };
    void this.decide(req, streamId);
  }

  private async decide(req: PublishRequest, streamId: number): Promise<void> {
    let decision: PublishDecision;
    try {
      decision = await this.hooks.publish(req);
    } catch (err) {
      this.log.error({ conn: this.id, err }, 'rtmp publish hook threw');
      decision = { accept: false, code: 'NetStream.Publish.Failed', description: 'Internal error' };
    }
    if (decision.accept) this.startPublishing(req, decision.sink, streamId);
    else this.refusePublish(req, decision.code, decision.description, streamId);
  }

  private startPublishing(req: PublishRequest, sink: MediaSink, streamId: number): void {
    if (this.goneReason !== undefined) {
      // The client left while the hook decided: the accepted publish still gets its one end().
      safeEnd(sink, this.goneReason, this.log, this.id);
      return;
    }
    this.sink = sink;
    this.phase = 'publishing';
    this.protocol.authorise();
    this.onAuthorised?.();
    this.publishStreamId = streamId;
    this.published = { app: req.app.split('?')[0]!, streamName: req.streamName };
    this.protocol.sendStatus(streamId, 'status', 'NetStream.Publish.Start', `${req.streamName} is now published.`);
    this.log.info(
      { conn: this.id, app: req.app, streamName: req.streamName, remote: `${req.remoteAddress}:${req.remotePort}` },
      'rtmp publish started',
    );
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    try {
      for (const packet of held) this.sink?.packet(packet);
    } catch (err) {
      this.abort('error', `media sink threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private refusePublish(req: PublishRequest, code: string, description: string, streamId: number): void {
    this.held = [];
    this.log.warn(
      { conn: this.id, app: req.app, streamName: req.streamName, remote: `${req.remoteAddress}:${req.remotePort}`, code },
      `rtmp publish refused: ${description}`,
    );
    if (this.goneReason !== undefined) return;
    this.phase = 'refused';
    this.protocol.sendStatus(streamId, 'error', code, description);
    this.closeAfterReply();
  }

  /** An SDK or browser pointed at the RTMP port: one HTTP answer saying where the HTTP API is, then close. */
  private answerHttp(): void {
    const endpoint = this.opts.httpEndpoint?.();
    const where = endpoint ? `the OSS HTTP API is at ${endpoint}` : 'the OSS HTTP API is on the HTTP port (8080 by default)';
    const body = `This is the emulator's RTMP port (for OBS/ffmpeg pushes); ${where}. Point your SDK's endpoint there.\n`;
    this.log.warn({ conn: this.id, remote: `${this.remoteAddress}:${this.remotePort}` }, `HTTP request on the RTMP port; ${where}`);
    this.phase = 'refused';
    this.socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
    this.graceTimer = setTimeout(() => this.socket.destroy(), this.opts.refusalGraceMs ?? DEFAULT_REFUSAL_GRACE_MS);
    this.graceTimer.unref();
  }

  /** OSS LiveChannel is push-only. */
  private refusePlay(streamId: number): void {
    this.log.warn({ conn: this.id, app: this.app }, 'rtmp play refused: not supported');
    this.phase = 'refused';
    this.protocol.sendStatus(streamId, 'error', 'NetStream.Play.Failed', 'RTMP playback is not supported; play the HLS URL.');
    this.closeAfterReply();
  }

  /** Half-close so the client reads our error before the connection goes (destroying now could RST it away). */
  private closeAfterReply(): void {
    this.socket.end();
    this.graceTimer = setTimeout(() => this.socket.destroy(), this.opts.refusalGraceMs ?? DEFAULT_REFUSAL_GRACE_MS);
    this.graceTimer.unref();
  }

  private onMedia(packet: MediaPacket): void {
    if (this.phase === 'publishing') {
      this.sink?.packet(packet); // a throwing sink surfaces through receive() and ends the connection
    } else if (this.phase === 'deciding') {
      if (this.heldBytes + packet.data.length > MAX_PENDING_BYTES) return;
      this.heldBytes += packet.data.length;
      this.held.push({ type: packet.type, timestamp: packet.timestamp, data: Buffer.from(packet.data) }); // the parser reuses it
    }
  }

  private onIdle(): void {
    if (this.phase === 'deciding' || this.inputPaused) {
      this.idleTimer.refresh(); // the client is waiting for our answer (or for us to read), not idle
      return;
    }
    this.abort('timeout', 'rtmp connection idle');
  }

  private abort(reason: MediaEndReason, message: string): void {
    if (this.phase === 'closed') return;
    const level = reason === 'timeout' ? 'info' : 'warn';
    this.log[level]({ conn: this.id, remote: `${this.remoteAddress}:${this.remotePort}`, reason }, message);
    this.teardown(reason);
    this.socket.destroy();
  }

  private teardown(reason: MediaEndReason): void {
    this.goneReason ??= reason;
    this.phase = 'closed';
    clearTimeout(this.idleTimer);
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.graceTimer);
    this.held = [];
    this.endSink(this.goneReason);
  }

  private endSink(reason: MediaEndReason): void {
    if (!this.sink || this.sinkEnded) return;
    this.sinkEnded = true;
    this.log.info({ conn: this.id, ...this.published, reason }, 'rtmp publish ended');
    safeEnd(this.sink, reason, this.log, this.id);
  }
}

function endReasonOf(err: NodeJS.ErrnoException | undefined): MediaEndReason {
  return err?.code === 'ECONNRESET' || err?.code === 'EPIPE' ? 'reset' : 'error';
}

function safeEnd(sink: MediaSink, reason: MediaEndReason, log: Logger, conn: string): void {
  try {
    sink.end(reason);
  } catch (err) {
    log.error({ conn, err }, 'rtmp media sink end() threw');
  }
}

/** Takes over an accepted socket (optionally with bytes a sniffer already read) and serves RTMP publishers on it. */
export function handleRtmpSocket(
  socket: net.Socket,
  hooks: RtmpHooks,
  opts: RtmpConnectionOptions,
  firstChunk?: Buffer,
  onAuthorised?: () => void,
  reading?: SocketReading,
): RtmpConnection {
  const session = new RtmpSocketSession(socket, hooks, opts, firstChunk, reading);
  session.onAuthorised = onAuthorised;
  return session;
}
