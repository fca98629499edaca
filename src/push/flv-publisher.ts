// Replays an FLV file as an RTMP publisher, paced against the wall clock, and can simulate publishers that
// leave cleanly, crash (RST) or hang.
import { encodeAmf0 } from './amf0.js';
import { parseFlv, type FlvTag } from '../media/flv.js';
import { abortReason, RtmpClientConnection, type RtmpStatus } from './rtmp-client.js';
import { RtmpPublishError } from './rtmp-publish-error.js';
import { parseRtmpUrl, type RtmpTarget } from './rtmp-url.js';
import { RTMP_MESSAGE } from '../media/rtmp-message-types.js';

export interface PublishFlvOptions {
  /** rtmp://host[:port]/<app…>/<name>[?query] */
  url: string;
  flv: Buffer;
  /** 1 = real time (default), 0 = as fast as the socket takes it, 4 = 4x. */
  speed?: number;
  /** Start over at the end, with timestamps continuing (decoder config is not resent, AVC end-of-sequence is dropped). */
  loop?: boolean;
  /** Stop after this much stream time (media timestamps, not wall clock). */
  durationMs?: number;
  /** Aborting stops the publish cleanly (FCUnpublish, deleteStream, FIN); the result still resolves. */
  signal?: AbortSignal;
  onPublishStart?(): void;
  /**
   * Connect here instead of the URL's host:port, keeping the URL (and so the tcUrl) as it is: a virtual-hosted
   * `rtmp://<bucket>.localhost/live/<channel>` where that name does not resolve, as OBS behind a hosts-file entry.
   */
  connectTo?: { host: string; port: number };
  /** From TCP connect to NetStream.Publish.Start (default 10000). */
  setupTimeoutMs?: number;
  /**
   * The timestamp put on the wire for each tag (default: the file's, continued across loops). Pacing still follows
   * the file, so this simulates a broken or hostile encoder: frozen, backwards or jumping timestamps.
   */
  retime?(timestamp: number, type: FlvTag['type'], index: number): number;
  /**
   * Told after each tag is handed to the socket: its stream time, whether it is a video keyframe, and how late it
   * went out against real-time pacing (ms; 0 when on time or not paced). Benchmarks use it for lag and latency.
   */
  onTagSent?(tag: SentTag): void;
}

export interface SentTag {
  type: FlvTag['type'];
  /** Stream time of the tag, from the first tag's timestamp (ms). */
  streamMs: number;
  /** A video keyframe with picture data (not a sequence header). */
  keyframe: boolean;
  lateMs: number;
}

export interface PublishResult {
  /** FLV tags sent (audio, video and script data). */
  tagsSent: number;
  /** Every byte written to the socket, handshake and protocol included. */
  bytesSent: number;
  /** Stream time of the last tag sent, from the first tag's timestamp (ms). */
  streamMsSent: number;
}

export interface Publisher {
  /** Resolves on NetStream.Publish.Start; rejects with RtmpPublishError when refused. */
  readonly started: Promise<void>;
  /** Resolves when the publish ended as asked (end of file, duration, stop, reset, or a stalled socket closed by the server); rejects on refusal or when the server drops a live publish. */
  readonly done: Promise<PublishResult>;
  /** Clean end: FCUnpublish + deleteStream + FIN. */
  stop(): Promise<PublishResult>;
  /** Abrupt end: TCP RST. */
  reset(): void;
  /** Stop sending anything but keep the socket open (a hung encoder). */
  stall(): void;
  stats(): PublishResult;
}

/** RTMP message type ids of FLV tag types (the same numbers FLV uses). */
const MESSAGE_TYPE: Readonly<Record<FlvTag['type'], number>> = {
  audio: RTMP_MESSAGE.AUDIO,
  video: RTMP_MESSAGE.VIDEO,
  script: RTMP_MESSAGE.DATA_AMF0,
};
const DEFAULT_SETUP_TIMEOUT_MS = 10_000;
const SET_DATA_FRAME = encodeAmf0(['@setDataFrame']);

export function startPublisher(opts: PublishFlvOptions): Publisher {
  return new FlvPublisher(opts);
}

/** Publishes the file once (or looped / for durationMs) and resolves with what was sent. */
export async function publishFlv(opts: PublishFlvOptions): Promise<PublishResult> {
  return startPublisher(opts).done;
}

class FlvPublisher implements Publisher {
  readonly started: Promise<void>;
  readonly done: Promise<PublishResult>;
  private readonly target: RtmpTarget;
  private readonly tags: FlvTag[];
  private client: RtmpClientConnection | undefined;
  private streamId = 0;
  private tagsSent = 0;
  private streamMsSent = 0;
  /** Set when we chose to end; the server closing the socket is then expected, not an error. */
  private ending: 'stop' | 'reset' | 'stall' | undefined;
  private readonly halt = new AbortController();
  /** An error-level onStatus received while publishing: the best explanation if the server then closes. */
  private serverError: RtmpStatus | undefined;

  constructor(private readonly opts: PublishFlvOptions) {
    this.target = parseRtmpUrl(opts.url);
    this.tags = parseFlv(opts.flv).tags;
    if (this.tags.length === 0) throw new Error('the FLV file has no audio, video or script tags');
    this.started = this.setUp();
    this.done = this.run();
    this.started.catch(() => {}); // callers may await only `done`; both carry the error
    this.done.catch(() => {});
    if (opts.signal?.aborted) void this.stop();
    else opts.signal?.addEventListener('abort', () => void this.stop(), { once: true });
  }

  stats(): PublishResult {
    return { tagsSent: this.tagsSent, bytesSent: this.client?.bytesSent ?? 0, streamMsSent: this.streamMsSent };
  }

  stop(): Promise<PublishResult> {
    this.endAs('stop');
    return this.done;
  }

  reset(): void {
    this.endAs('reset');
    this.client?.reset();
  }

  stall(): void {
    this.endAs('stall');
    if (this.client) this.client.muted = true;
  }

  private endAs(how: 'stop' | 'reset' | 'stall'): void {
    this.ending ??= how;
    this.halt.abort();
  }

  private async setUp(): Promise<void> {
    const { app, tcUrl, publishName } = this.target;
    const { host, port } = this.opts.connectTo ?? this.target;
    const timeoutMs = this.opts.setupTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS;
    // One signal for everything that ends the setup early: our timeout, or stop()/reset()/stall().
    const setup = new AbortController();
    const timer = setTimeout(
      () => setup.abort(new RtmpPublishError('Timeout', `no NetStream.Publish.Start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onHalt = () => setup.abort(new Error('publisher stopped before publish started'));
    if (this.halt.signal.aborted) onHalt();
    else this.halt.signal.addEventListener('abort', onHalt, { once: true });
    try {
      const client = await RtmpClientConnection.open(host, port, setup.signal);
      this.client = client;
      const onAbort = () => (this.ending === 'reset' ? client.reset() : client.destroy(abortReason(setup.signal)));
      if (setup.signal.aborted) onAbort();
      else setup.signal.addEventListener('abort', onAbort, { once: true });
      client.setChunkSize(4096);
      await client.call('connect', { app, type: 'nonprivate', flashVer: 'FMLE/3.0 (compatible; oss-live-emulator)', tcUrl });
      client.command(0, 'releaseStream', null, publishName);
      client.command(0, 'FCPublish', null, publishName);
      const [streamId] = await client.call('createStream', null);
      if (typeof streamId !== 'number') throw new RtmpPublishError('NetStream.Failed', 'createStream returned no stream id');
      this.streamId = streamId;
      await this.publish(client, streamId, publishName);
      setup.signal.removeEventListener('abort', onAbort);
    } finally {
      clearTimeout(timer);
      this.halt.signal.removeEventListener('abort', onHalt);
    }
    this.opts.onPublishStart?.();
  }

  private publish(client: RtmpClientConnection, streamId: number, publishName: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const unsubscribe = client.onStatus((status) => {
        if (status.level === 'error') {
          unsubscribe();
          reject(new RtmpPublishError(status.code, status.description));
        } else if (status.code === 'NetStream.Publish.Start') {
          unsubscribe();
          resolve();
        }
      });
      client.closed.then((err) => {
        unsubscribe();
        reject(err ?? new RtmpPublishError('NetConnection.Closed', 'the server closed the connection before publish started'));
      });
      client.command(streamId, 'publish', null, publishName, 'live');
    });
  }

  private async run(): Promise<PublishResult> {
    try {
      await this.started;
    } catch (err) {
      if (this.ending !== undefined) return this.stats(); // stopped during setup: nothing to report
      throw err;
    }
    const client = this.client!;
    client.onStatus((status) => {
      if (status.level === 'error') this.serverError = status;
    });
    await this.pump(client);
    if (this.ending === 'reset' || this.ending === 'stall') {
      await client.closed; // a stalled publisher lasts until the server gives up on it
      return this.stats();
    }
    if (client.isClosed) throw this.lostConnectionError(await client.closed);
    client.command(0, 'FCUnpublish', null, this.target.publishName);
    client.command(0, 'deleteStream', null, this.streamId);
    await client.end();
    return this.stats();
  }

  private lostConnectionError(socketError: Error | undefined): RtmpPublishError {
    if (this.serverError) return new RtmpPublishError(this.serverError.code, this.serverError.description);
    const why = socketError ? `: ${socketError.message}` : '';
    return new RtmpPublishError('NetConnection.Closed', `the server closed the connection after ${this.tagsSent} tags${why}`);
  }

  /** Sends the tags on time; returns when done, halted, or the connection is gone. */
  private async pump(client: RtmpClientConnection): Promise<void> {
    const { speed = 1, loop = false, durationMs } = this.opts;
    const firstTimestamp = this.tags[0]!.timestamp;
    const span = loopSpan(this.tags);
    const startedAt = performance.now();
    for (let round = 0; ; round++) {
      for (const tag of this.tags) {
        if (this.halt.signal.aborted || client.isClosed) return;
        if (round > 0 && isDecoderConfig(tag)) continue;
        if (loop && isEndOfSequence(tag)) continue; // the file's end is not the stream's end
        const timestamp = tag.timestamp + round * span;
        const streamTime = timestamp - firstTimestamp;
        if (durationMs !== undefined && streamTime >= durationMs) return;
        if (speed > 0) {
          const wait = startedAt + streamTime / speed - performance.now();
          if (wait > 1) await sleep(wait, this.halt.signal);
          if (this.halt.signal.aborted) return;
        }
        const body = tag.type === 'script' ? Buffer.concat([SET_DATA_FRAME, tag.data]) : tag.data;
        const wire = this.opts.retime ? this.opts.retime(timestamp, tag.type, this.tagsSent) : timestamp;
        const flushed = client.sendTag(MESSAGE_TYPE[tag.type], this.streamId, wire, body);
        this.tagsSent++;
        this.streamMsSent = streamTime;
        if (this.opts.onTagSent) {
          const lateMs = speed > 0 ? Math.max(0, performance.now() - (startedAt + streamTime / speed)) : 0;
          this.opts.onTagSent({ type: tag.type, streamMs: streamTime, keyframe: isKeyframe(tag), lateMs });
        }
        if (!flushed) await client.drain();
      }
      if (!loop) return;
    }
  }
}

/** Length of one pass of the file on the stream timeline: last minus first timestamp plus one video frame. */
function loopSpan(tags: FlvTag[]): number {
  const video = tags.filter((t) => t.type === 'video').map((t) => t.timestamp);
  let frame = 40;
  for (let i = video.length - 1; i > 0; i--) {
    const gap = video[i]! - video[i - 1]!;
    if (gap > 0) {
      frame = gap;
      break;
    }
  }
  return Math.max(tags[tags.length - 1]!.timestamp - tags[0]!.timestamp + frame, 1);
}

/** A video keyframe carrying coded pictures (AVC NALU packet, or any non-AVC codec's keyframe). */
function isKeyframe(tag: FlvTag): boolean {
  if (tag.type !== 'video' || tag.data[0]! >> 4 !== 1) return false;
  return (tag.data[0]! & 0x0f) !== 7 || tag.data[1] === 1;
}

/** AVC end of sequence (ffmpeg writes one at the end of every FLV file). */
function isEndOfSequence(tag: FlvTag): boolean {
  return tag.type === 'video' && (tag.data[0]! & 0x0f) === 7 && tag.data[1] === 2;
}

/** Script data and AVC/AAC sequence headers: sent once, not on every loop (a repeat reads as a codec change). */
function isDecoderConfig(tag: FlvTag): boolean {
  if (tag.type === 'script') return true;
  const b = tag.data;
  if (tag.type === 'video') return (b[0]! & 0x0f) === 7 && b[1] === 0;
  return b[0]! >> 4 === 10 && b[1] === 0;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
