import { decodableKeyframe, type DemuxedTag, type VideoFrame } from '../../media/flv-demux.js';
import type { Logger } from '../../shared/logger.js';
import type { SnapshotConfig } from '../../store/rows.js';
import { snapshotKey, type SnapshotStore } from './snapshot-object.js';
import { SnapshotSchedule, type SnapshotPick } from './snapshot-schedule.js';

export interface SnapshotChannel {
  bucket: string;
  channel: string;
  config: SnapshotConfig;
  /** Wall time of the publish's first video DTS (LiveSession's mediaStartMs). */
  wallStartMs: number;
  log: Logger;
}

/** What a LiveSession needs: every demuxed video tag, and a stop that resolves once its snapshots are stored. */
export interface SnapshotSink {
  /** A video frame's bytes are valid during the call only (the live session's demuxer reuses them). */
  tag(t: DemuxedTag): void;
  stop(): Promise<void>;
}

/** One keyframe to decode and store. */
export interface SnapshotJob {
  channel: SnapshotChannel;
  key: string;
  /** The keyframe as one decodable Annex B unit (built only when its turn comes). */
  annexB: () => Buffer;
  onError(err: Error): void;
}

/** What a channel's snapshotter uses of the emulator-wide SnapshotService. */
export interface SnapshotCapture {
  readonly store: Pick<SnapshotStore, 'getBucket'>;
  /** False once ffmpeg is known to be missing or the emulator is closing (snapshotters then drop everything). */
  readonly maybeUsable: boolean;
  readonly maxPendingPerChannel: number;
  /** Decodes and stores one keyframe; never rejects. */
  capture(job: SnapshotJob): Promise<void>;
}

type Warning = 'no-bucket' | 'overflow' | 'failed';

/** One publish: picks keyframes by stream DTS (SnapshotSchedule) and queues their capture. */
export class ChannelSnapshotter implements SnapshotSink {
  private readonly schedule: SnapshotSchedule<VideoFrame>;
  private firstDtsMs: number | undefined;
  private lastKeyMs = -Infinity;
  private readonly jobs = new Set<Promise<void>>();
  private stopped = false;
  private readonly warned = new Set<Warning>();

  constructor(
    private readonly service: SnapshotCapture,
    private readonly channel: SnapshotChannel,
  ) {
    this.schedule = new SnapshotSchedule(channel.config.interval);
  }

  /** Video tags in arrival order (sequence headers and frames the segmenter drops too: they move stream time). */
  tag(t: DemuxedTag): void {
    if (this.stopped || t.type !== 'video' || !this.service.maybeUsable) return;
    this.firstDtsMs ??= t.timestamp;
    // A keyframe may be kept until a later one is seen: its bytes are copied (the demuxer reuses frame memory).
    const pick =
      t.kind === 'video' && t.key
        ? this.schedule.keyframe(t.timestamp, { ...t, data: Buffer.from(t.data) })
        : this.schedule.advance(t.timestamp);
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

  private take(pick: SnapshotPick<VideoFrame>): void {
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
      annexB: () => decodableKeyframe(frame),
      onError: (err) => {
        if (this.warned.has('failed')) log.debug({ err: err.message }, 'snapshot failed');
        else this.warnOnce('failed', { err: err.message }, 'snapshot failed (later failures of this publish log at debug)');
      },
    });
    this.jobs.add(job);
    void job.then(() => this.jobs.delete(job));
  }

  private warnOnce(what: Warning, fields: Record<string, unknown>, message: string): void {
    if (this.warned.has(what)) return;
    this.warned.add(what);
    this.channel.log.warn(fields, message);
  }
}
