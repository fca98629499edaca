// The client end of one RTMP connection: TCP, handshake, chunking, commands with transactions, status events.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { decodeAmf0, encodeAmf0, type Amf0Value } from './amf0.js';
import { encodeMessage, RtmpChunkDecoder, type RtmpMessage } from './rtmp-chunks.js';
import { RtmpPublishError } from './rtmp-publish-error.js';
import { RTMP_MESSAGE } from '../media/rtmp-message-types.js';

const HANDSHAKE_SIZE = 1536;
const {
  SET_CHUNK_SIZE: MSG_SET_CHUNK_SIZE,
  ACKNOWLEDGEMENT: MSG_ACKNOWLEDGEMENT,
  USER_CONTROL: MSG_USER_CONTROL,
  WINDOW_ACK_SIZE: MSG_WINDOW_ACK_SIZE,
  COMMAND_AMF3: MSG_COMMAND_AMF3,
  COMMAND_AMF0: MSG_COMMAND_AMF0,
} = RTMP_MESSAGE;
const USER_CONTROL_PING_REQUEST = 6;
const USER_CONTROL_PING_RESPONSE = 7;

/** Chunk stream ids as ffmpeg uses them: protocol control, commands, audio, video; we add one for data. */
const CSID_CONTROL = 2;
const CSID_COMMAND = 3;
const CSID_AUDIO = 4;
const CSID_DATA = 5;
const CSID_VIDEO = 6;

export interface RtmpStatus {
  level: string;
  code: string;
  description: string;
}

const isRecord = (v: unknown): v is Record<string, Amf0Value> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function statusOf(info: Amf0Value): RtmpStatus {
  const rec = isRecord(info) ? info : {};
  const text = (v: Amf0Value) => (typeof v === 'string' ? v : '');
  return { level: text(rec.level), code: text(rec.code), description: text(rec.description) };
}

export class RtmpClientConnection {
  bytesSent = 0;
  /** Once set, nothing more is written (a publisher simulating a hang). */
  muted = false;
  private outChunkSize = 128;
  private readonly decoder: RtmpChunkDecoder;
  private nextTransactionId = 1;
  private readonly transactions = new Map<number, { resolve(args: Amf0Value[]): void; reject(err: Error): void }>();
  private readonly statusListeners = new Set<(status: RtmpStatus, streamId: number) => void>();
  private bytesReceived = 0;
  private bytesAcknowledged = 0;
  private ackWindow = 0;
  /** The last sequence number the server acknowledged (bytes it had received), 0 if none. */
  serverAcknowledged = 0;
  /** How many Acknowledgement messages the server sent. */
  serverAcknowledgements = 0;
  /** Resolves when the socket has closed, with the error that closed it, if any. */
  readonly closed: Promise<Error | undefined>;

  private constructor(private readonly socket: net.Socket) {
    this.decoder = new RtmpChunkDecoder((msg) => this.onMessage(msg));
    let socketError: Error | undefined;
    socket.on('error', (err) => (socketError = err));
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        const err = socketError ?? new RtmpPublishError('NetConnection.Closed', 'the server closed the connection');
        for (const t of this.transactions.values()) t.reject(err);
        this.transactions.clear();
        resolve(socketError);
      }),
    );
  }

  get isClosed(): boolean {
    return this.socket.destroyed;
  }

  /** Connects and completes the (simple) handshake; aborting the signal destroys the socket with its reason. */
  static open(host: string, port: number, signal: AbortSignal): Promise<RtmpClientConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, noDelay: true });
      const client = new RtmpClientConnection(socket);
      const onAbort = () => socket.destroy(abortReason(signal));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      socket.once('error', reject);
      socket.once('close', () => reject(new RtmpPublishError('NetConnection.Closed', 'closed during handshake')));
      socket.once('connect', () => {
        const c1 = Buffer.alloc(HANDSHAKE_SIZE); // time 0, zero 0, then random: the simple (non-digest) handshake
        randomBytes(HANDSHAKE_SIZE - 8).copy(c1, 8);
        client.write(Buffer.concat([Buffer.of(3), c1]));
      });
      let handshake = Buffer.alloc(0);
      const onHandshakeData = (chunk: Buffer) => {
        handshake = Buffer.concat([handshake, chunk]);
        if (handshake.length < 1 + 2 * HANDSHAKE_SIZE) return;
        socket.off('data', onHandshakeData);
        signal.removeEventListener('abort', onAbort);
        socket.off('error', reject);
        client.write(handshake.subarray(1, 1 + HANDSHAKE_SIZE)); // C2 echoes S1
        socket.on('data', (data: Buffer) => client.onBytes(data));
        const rest = handshake.subarray(1 + 2 * HANDSHAKE_SIZE);
        if (rest.length > 0) client.onBytes(rest);
        resolve(client);
      };
      socket.on('data', onHandshakeData);
    });
  }

  setChunkSize(size: number): void {
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(size);
    this.sendMessage({ chunkStreamId: CSID_CONTROL, timestamp: 0, typeId: MSG_SET_CHUNK_SIZE, streamId: 0, payload });
    this.outChunkSize = size;
  }

  /** Tells the server to acknowledge every `size` bytes it receives from us. */
  announceWindowAckSize(size: number): void {
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(size);
    this.sendMessage({ chunkStreamId: CSID_CONTROL, timestamp: 0, typeId: MSG_WINDOW_ACK_SIZE, streamId: 0, payload });
  }

  /** A command that expects no answer (releaseStream, FCPublish, publish, deleteStream, ...). */
  command(streamId: number, name: string, ...args: Amf0Value[]): number {
    const transactionId = this.nextTransactionId++;
    const payload = encodeAmf0([name, transactionId, ...args]);
    this.sendMessage({ chunkStreamId: CSID_COMMAND, timestamp: 0, typeId: MSG_COMMAND_AMF0, streamId, payload });
    return transactionId;
  }

  /** A command on the NetConnection answered by _result (resolves with the values after the transaction id) or _error. */
  call(name: string, ...args: Amf0Value[]): Promise<Amf0Value[]> {
    return new Promise((resolve, reject) => {
      if (this.isClosed) return reject(new RtmpPublishError('NetConnection.Closed', 'connection is closed'));
      this.transactions.set(this.command(0, name, ...args), { resolve, reject });
    });
  }

  onStatus(listener: (status: RtmpStatus, streamId: number) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Sends an FLV tag body as an RTMP message; false means the socket buffer is full (await drain()). */
  sendTag(type: number, streamId: number, timestamp: number, body: Buffer): boolean {
    const chunkStreamId = type === RTMP_MESSAGE.AUDIO ? CSID_AUDIO : type === RTMP_MESSAGE.VIDEO ? CSID_VIDEO : CSID_DATA;
    return this.sendMessage({ chunkStreamId, timestamp, typeId: type, streamId, payload: body });
  }

  drain(): Promise<void> {
    if (!this.socket.writableNeedDrain || this.isClosed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** FIN, then wait for the server to close its side (destroy after graceMs). */
  async end(graceMs = 2000): Promise<void> {
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), graceMs);
    await this.closed;
    clearTimeout(timer);
  }

  /** RST: what a crashed encoder or a pulled cable behind a NAT looks like. */
  reset(): void {
    this.socket.resetAndDestroy();
  }

  destroy(err?: Error): void {
    this.socket.destroy(err);
  }

  private sendMessage(msg: RtmpMessage): boolean {
    return this.write(encodeMessage(msg, this.outChunkSize));
  }

  private write(bytes: Buffer): boolean {
    if (this.muted || this.isClosed) return true;
    this.bytesSent += bytes.length;
    return this.socket.write(bytes);
  }

  private onBytes(data: Buffer): void {
    this.bytesReceived += data.length;
    try {
      this.decoder.push(data);
    } catch (err) {
      this.socket.destroy(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (this.ackWindow > 0 && this.bytesReceived - this.bytesAcknowledged >= this.ackWindow) {
      const payload = Buffer.alloc(4);
      payload.writeUInt32BE(this.bytesReceived >>> 0);
      this.sendMessage({ chunkStreamId: CSID_CONTROL, timestamp: 0, typeId: MSG_ACKNOWLEDGEMENT, streamId: 0, payload });
      this.bytesAcknowledged = this.bytesReceived;
    }
  }

  private onMessage(msg: RtmpMessage): void {
    const { typeId, payload } = msg;
    if (typeId === MSG_ACKNOWLEDGEMENT && payload.length >= 4) {
      this.serverAcknowledged = payload.readUInt32BE(0);
      this.serverAcknowledgements++;
    } else if (typeId === MSG_SET_CHUNK_SIZE && payload.length >= 4) {
      this.decoder.chunkSize = payload.readUInt32BE(0) & 0x7fffffff;
    } else if (typeId === MSG_WINDOW_ACK_SIZE && payload.length >= 4) {
      this.ackWindow = payload.readUInt32BE(0);
    } else if (typeId === MSG_USER_CONTROL && payload.length >= 6 && payload.readUInt16BE(0) === USER_CONTROL_PING_REQUEST) {
      const pong = Buffer.from(payload.subarray(0, 6));
      pong.writeUInt16BE(USER_CONTROL_PING_RESPONSE, 0);
      this.sendMessage({ chunkStreamId: CSID_CONTROL, timestamp: 0, typeId: MSG_USER_CONTROL, streamId: 0, payload: pong });
    } else if (typeId === MSG_COMMAND_AMF0 || typeId === MSG_COMMAND_AMF3) {
      this.onCommand(decodeAmf0(typeId === MSG_COMMAND_AMF3 ? payload.subarray(1) : payload), msg.streamId);
    }
  }

  private onCommand([name, transactionId, , ...args]: Amf0Value[], streamId: number): void {
    if (name === '_result' || name === '_error') {
      const t = typeof transactionId === 'number' ? this.transactions.get(transactionId) : undefined;
      if (!t) return;
      this.transactions.delete(transactionId as number);
      if (name === '_result') t.resolve(args);
      else {
        const status = statusOf(args[0]);
        t.reject(new RtmpPublishError(status.code || '_error', status.description || 'the server answered _error'));
      }
    } else if (name === 'onStatus') {
      const status = statusOf(args[0]);
      for (const listener of [...this.statusListeners]) listener(status, streamId);
    }
  }
}

/** The Error an AbortSignal was aborted with, or a generic one. */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
