import { spawn } from 'node:child_process';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { avccToAnnexB, NAL_TYPE, parseAvcDecoderConfig, parseVideoTag, splitAvccNalUnits, type AvcDecoderConfig } from '../media/avc.js';
import { probeFfmpeg, resolveFfmpegPath } from './ffmpeg-path.js';
import type { SnapshotConfig } from '../store/rows.js';
import type { Store } from '../store/store.js';
import type { MediaPacket } from './rtmp/types.js';
import { SnapshotSchedule, type SnapshotPick } from './snapshot-schedule.js';

/*
 * LiveChannel Snapshot (PutLiveChannel's <Snapshot>): every Interval seconds of stream time, the last keyframe of
 * that interval is decoded to a JPEG by ffmpeg and stored in DestBucket. Not emulated: RoleName (no RAM: the
 * emulator writes DestBucket as itself) and NotifyTopic (no MNS: nothing is notified).
 */

export const SNAPSHOT_CONTENT_TYPE = 'image/jpeg';
export const NO_FFMPEG_WARNING = 'snapshots need ffmpeg: set FFMPEG_PATH or install ffmpeg; none found';

/**
 * Object key of a snapshot in DestBucket. OSS does not document its naming, so this is our choice:
 * `<channel>/<unix-ms>.jpg`, the time being the keyframe's place on the channel's timeline (the same mapping from
 * stream DTS to wall time as the segment names), so keys sort in stream order even for pushes faster than real time.
 */
export const snapshotKey = (channel: string, atMs: number): string => `${channel}/${atMs}.jpg`;

const START_CODE = Buffer.from([0, 0, 0, 1]);

/** A keyframe as one decodable Annex B unit: SPS + PPS + its slices (parameter sets added when not in-band). */
export function keyframeToAnnexB(payload: Buffer, avc: Pick<AvcDecoderConfig, 'nalLengthSize' | 'sps' | 'pps'>): Buffer {
  const types = new Set(splitAvccNalUnits(payload, avc.nalLengthSize).map((n) => n[0]! & 0x1f));
  const unit = avccToAnnexB(payload, avc); // puts SPS/PPS before an IDR that lacks them
  if (types.has(NAL_TYPE.SPS) || types.has(NAL_TYPE.IDR)) return unit;
  // A keyframe without an IDR slice (open GOP, recovery point): the decoder still needs the parameter sets.
  return Buffer.concat([...[...avc.sps, ...avc.pps].flatMap((n) => [START_CODE, n]), unit]);
}

export interface EncodeOptions {
  timeoutMs: number;
  /** Larger output is refused (a JPEG of one frame is far smaller). */
  maxBytes: number;
  signal?: AbortSignal;
}

export type JpegEncoder = (ffmpeg: string, annexB: Buffer, options: EncodeOptions) => Promise<Buffer>;

/** `ffmpeg -f h264 -i pipe:0 -frames:v 1 -f image2 -c:v mjpeg pipe:1`: one Annex B keyframe in, one JPEG out. */
export const encodeJpeg: JpegEncoder = (ffmpeg, annexB, { timeoutMs, maxBytes, signal }) =>
  new Promise((resolve, reject) => {
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'h264',
      '-i',
      'pipe:0',
      '-frames:v',
      '1',
      '-f',
      'image2',
      '-c:v',
      'mjpeg',
      'pipe:1',
    ];
    const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: Error | undefined;
    let settled = false;
    const finish = (err: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(Buffer.concat(out, size));
    };
    const fail = (err: Error) => {
      failure ??= err;
      child.kill('SIGKILL');
    };
    const onAbort = () => fail(new Error('snapshot aborted'));
    const timer = setTimeout(() => fail(new Error(`ffmpeg took longer than ${timeoutMs} ms`)), timeoutMs);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(new Error(`ffmpeg wrote more than ${maxBytes} bytes`));
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString('utf8');
    });
    child.stdin.on('error', () => {}); // EPIPE when ffmpeg quits early; its exit status says why
    child.once('error', (err) => finish(failure ?? err));
    child.once('close', (code, sig) => {
      if (failure) finish(failure);
      else if (code !== 0) finish(new Error(`ffmpeg exited with ${code ?? sig}: ${stderr.trim().slice(0, 500)}`));
      else finish(undefined);
    });
    child.stdin.end(annexB);
  });

export interface SnapshotServiceOptions {
  store: Pick<Store, 'getBucket' | 'putObjectBytes'>;
  clock: Clock;
  log: Logger;
  /** Config.ffmpegPath (FFMPEG_PATH / --ffmpeg-path); undefined = ffmpeg-static if installed, else `ffmpeg` on PATH. */
  ffmpegPath: string | undefined;
  /** One ffmpeg run may take this long before it is killed (default 10 s). */
  timeoutMs?: number;
  /** ffmpeg processes at once, all channels together (default 2). */
  maxConcurrent?: number;
  /** Snapshots of one publish waiting or running; more are dropped (default 16). */
  maxPendingPerChannel?: number;
  /** Test seams. */
  encode?: JpegEncoder;
  probe?: (command: string) => Promise<boolean>;
}

export interface SnapshotChannel {
  bucket: string;
  channel: string;
  config: SnapshotConfig;
  /** Wall time of the publish's first video DTS (LiveSession's mediaStartMs). */
  wallStartMs: number;
  log: Logger;
}

/** What a LiveSession needs: every video packet, and a stop that resolves once its snapshots are stored. */
export interface SnapshotSink {
  packet(p: MediaPacket): void;
  stop(): Promise<void>;
}

/** One per emulator: finds ffmpeg once, bounds how many run at once, and hands each publish its snapshotter. */
export class SnapshotService {
  private readonly timeoutMs: number;
  private readonly maxConcurrent: number;
  readonly maxPendingPerChannel: number;
  private readonly encode: JpegEncoder;
  /** Resolved at the first snapshot-configured publish: the ffmpeg command, or undefined when there is none. */
  private ffmpeg: Promise<string | undefined> | undefined;
  private usable: boolean | undefined;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly controllers = new Set<AbortController>();
  private closed = false;

  constructor(private readonly opts: SnapshotServiceOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxConcurrent = opts.maxConcurrent ?? 2;
    this.maxPendingPerChannel = opts.maxPendingPerChannel ?? 16;
    this.encode = opts.encode ?? encodeJpeg;
  }

  /** A snapshotter for a publish of a channel with a Snapshot config; undefined when ffmpeg is known to be missing. */
  forChannel(channel: SnapshotChannel): SnapshotSink | undefined {
    if (this.closed || this.usable === false) return undefined;
    this.ffmpeg ??= this.findFfmpeg();
    return new ChannelSnapshotter(this, channel);
  }

  get store(): SnapshotServiceOptions['store'] {
    return this.opts.store;
  }

  /** False once ffmpeg is known to be missing (snapshotters then drop everything). */
  get maybeUsable(): boolean {
    return this.usable !== false && !this.closed;
  }

  /** Kills running ffmpeg processes and drops waiting snapshots (emulator closing). */
  close(): void {
    this.closed = true;
    for (const controller of this.controllers) controller.abort();
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** Decodes a keyframe and stores the JPEG; never rejects (failures go to `log`). */
  async capture(job: { channel: SnapshotChannel; key: string; annexB: () => Buffer; onError(err: Error): void }): Promise<void> {
    const { store, clock } = this.opts;
    const ffmpeg = await this.ffmpeg;
    if (ffmpeg === undefined || this.closed) return;
    await this.slot();
    if (this.closed) return this.release();
    const controller = new AbortController();
    this.controllers.add(controller);
    try {
      const jpeg = await this.encode(ffmpeg, job.annexB(), { timeoutMs: this.timeoutMs, maxBytes: 16 << 20, signal: controller.signal });
      if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error(`ffmpeg output is not a JPEG (${jpeg.length} bytes)`);
      const dest = job.channel.config.destBucket;
      if (this.closed || !store.getBucket(dest)) return; // emulator closing, or DestBucket deleted meanwhile
      store.putObjectBytes(dest, job.key, [jpeg], { contentType: SNAPSHOT_CONTENT_TYPE, lastModifiedMs: clock.now() });
      job.channel.log.debug({ destBucket: dest, key: job.key, bytes: jpeg.length }, 'snapshot stored');
    } catch (err) {
      if (!this.closed) job.onError(err as Error);
    } finally {
      this.controllers.delete(controller);
      this.release();
    }
  }

  private async findFfmpeg(): Promise<string | undefined> {
    const candidate = resolveFfmpegPath(this.opts.ffmpegPath);
    const ok = await (this.opts.probe ?? probeFfmpeg)(candidate.command);
    this.usable = ok;
    if (!ok) {
      this.opts.log.warn({ tried: candidate.command, from: candidate.source }, NO_FFMPEG_WARNING);
      return undefined;
    }
    this.opts.log.debug({ ffmpeg: candidate.command, from: candidate.source }, 'snapshots use this ffmpeg');
    return candidate.command;
  }

  private slot(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.running++;
        resolve();
      }),
    );
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }
}

interface Keyframe {
  payload: Buffer;
  avc: AvcDecoderConfig;
}

/** One publish: picks keyframes by stream DTS (SnapshotSchedule) and queues their capture. */
class ChannelSnapshotter implements SnapshotSink {
  private readonly schedule: SnapshotSchedule<Keyframe>;
  private avc: AvcDecoderConfig | undefined;
  private firstDtsMs: number | undefined;
  private lastKeyMs = -Infinity;
  private readonly jobs = new Set<Promise<void>>();
  private stopped = false;
  private readonly warned = new Set<'no-bucket' | 'overflow' | 'failed'>();

  constructor(
    private readonly service: SnapshotService,
    private readonly channel: SnapshotChannel,
  ) {
    this.schedule = new SnapshotSchedule(channel.config.interval);
  }

  packet(p: MediaPacket): void {
    if (this.stopped || p.type !== 'video' || !this.service.maybeUsable) return;
    let pick: SnapshotPick<Keyframe> | undefined;
    try {
      const tag = parseVideoTag(p.data);
      if (tag.codec !== 'avc') return;
      this.firstDtsMs ??= p.timestamp;
      if (tag.packetType === 'sequence-header') this.avc = parseAvcDecoderConfig(tag.payload);
      pick =
        tag.keyframe && tag.packetType === 'nalu' && this.avc
          ? this.schedule.keyframe(p.timestamp, { payload: tag.payload, avc: this.avc })
          : this.schedule.advance(p.timestamp);
    } catch {
      return; // the segmenter reports malformed video; a snapshot just skips it
    }
    if (pick) this.take(pick);
  }

  stop(): Promise<void> {
    if (!this.stopped) {
      const pick = this.schedule.end();
      if (pick && this.service.maybeUsable) this.take(pick);
      this.stopped = true;
    }
    return Promise.all(this.jobs).then(() => undefined);
  }

  private take(pick: SnapshotPick<Keyframe>): void {
    const { log, config, channel, wallStartMs } = this.channel;
    const atMs = Math.max(wallStartMs + (pick.dtsMs - (this.firstDtsMs ?? pick.dtsMs)), this.lastKeyMs + 1);
    this.lastKeyMs = atMs;
    if (!this.service.maybeUsable) return;
    if (!this.service.store.getBucket(config.destBucket)) {
      this.warnOnce('no-bucket', { destBucket: config.destBucket }, 'snapshot DestBucket does not exist; skipping snapshots');
      return;
    }
    if (this.jobs.size >= this.service.maxPendingPerChannel) {
      this.warnOnce('overflow', { pending: this.jobs.size }, 'ffmpeg cannot keep up; dropping snapshots');
      return;
    }
    const { frame } = pick;
    const job = this.service.capture({
      channel: this.channel,
      key: snapshotKey(channel, atMs),
      annexB: () => keyframeToAnnexB(frame.payload, frame.avc),
      onError: (err) => {
        if (this.warned.has('failed')) log.debug({ err: err.message }, 'snapshot failed');
        else this.warnOnce('failed', { err: err.message }, 'snapshot failed (later failures of this publish log at debug)');
      },
    });
    this.jobs.add(job);
    void job.then(() => this.jobs.delete(job));
  }

  private warnOnce(what: 'no-bucket' | 'overflow' | 'failed', fields: Record<string, unknown>, message: string): void {
    if (this.warned.has(what)) return;
    this.warned.add(what);
    this.channel.log.warn(fields, message);
  }
}
