import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import {
  ChannelSnapshotter,
  type SnapshotCapture,
  type SnapshotChannel,
  type SnapshotJob,
  type SnapshotSink,
} from './channel-snapshotter.js';
import { probeFfmpeg, resolveFfmpegPath } from './ffmpeg-path.js';
import { encodeJpeg, type JpegEncoder } from './jpeg-encoder.js';
import { ProcessSlots } from './process-slots.js';
import { storeSnapshot, type SnapshotStore } from './snapshot-object.js';

export const NO_FFMPEG_WARNING = 'snapshots need ffmpeg: set FFMPEG_PATH or install ffmpeg; none found';

/** Largest JPEG accepted from ffmpeg (a JPEG of one frame is far smaller). */
const MAX_JPEG_BYTES = 16 << 20;

export interface SnapshotServiceOptions {
  store: SnapshotStore;
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

/** One per emulator: finds ffmpeg once, bounds how many run at once, and hands each publish its snapshotter. */
export class SnapshotService implements SnapshotCapture {
  private readonly timeoutMs: number;
  private readonly slots: ProcessSlots;
  readonly maxPendingPerChannel: number;
  private readonly encode: JpegEncoder;
  /** Resolved at the first snapshot-configured publish: the ffmpeg command, or undefined when there is none. */
  private ffmpeg: Promise<string | undefined> | undefined;
  private usable: boolean | undefined;
  private readonly controllers = new Set<AbortController>();
  private closed = false;

  constructor(private readonly opts: SnapshotServiceOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.slots = new ProcessSlots(opts.maxConcurrent ?? 2);
    this.maxPendingPerChannel = opts.maxPendingPerChannel ?? 16;
    this.encode = opts.encode ?? encodeJpeg;
  }

  /** A snapshotter for a publish of a channel with a Snapshot config; undefined when ffmpeg is known to be missing. */
  forChannel(channel: SnapshotChannel): SnapshotSink | undefined {
    if (this.closed || this.usable === false) return undefined;
    this.ffmpeg ??= this.findFfmpeg();
    return new ChannelSnapshotter(this, channel);
  }

  get store(): SnapshotStore {
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
    this.slots.wakeAll();
  }

  /** Decodes a keyframe and stores the JPEG; never rejects (failures go to `job.onError`). */
  async capture(job: SnapshotJob): Promise<void> {
    const ffmpeg = await this.ffmpeg;
    if (ffmpeg === undefined || this.closed) return;
    await this.slots.acquire();
    if (this.closed) return this.slots.release();
    const controller = new AbortController();
    this.controllers.add(controller);
    try {
      const jpeg = await this.encode(ffmpeg, job.annexB(), {
        timeoutMs: this.timeoutMs,
        maxBytes: MAX_JPEG_BYTES,
        signal: controller.signal,
      });
      const dest = job.channel.config.destBucket;
      // Emulator closing, or DestBucket deleted meanwhile: nothing stored.
      if (!this.closed && storeSnapshot(this.opts.store, this.opts.clock, dest, job.key, jpeg)) {
        job.channel.log.debug({ destBucket: dest, key: job.key, bytes: jpeg.length }, 'snapshot stored');
      }
    } catch (err) {
      if (!this.closed) job.onError(err as Error);
    } finally {
      this.controllers.delete(controller);
      this.slots.release();
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
}
