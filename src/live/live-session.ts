import type { PublishEndReason } from '../events/event-types.js';
import type { FaultRules } from '../faults/fault-rules.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../shared/logger.js';
import { FlvDemuxer, type DemuxedTag, type MediaPacket } from '../media/flv-demux.js';
import { HlsSegmenter, type SegmenterEvent } from '../media/hls/hls-segmenter.js';
import type { LivePublish, LiveStat } from '../oss/live-publishes.js';
import type { ControlledClock } from '../shared/clock.js';
import type { Store } from '../store/store.js';
import { BandwidthMeter } from './bandwidth-meter.js';
import type { LiveRegistry } from './live-registry.js';
import type { PublishTarget } from './publish-policy.js';
import type { MediaEndReason, MediaSink, RefusalStatus } from './rtmp/types.js';
import { SegmentWriter, type PendingSegment } from './segment-writer.js';
import type { SnapshotSink } from './snapshot/channel-snapshotter.js';

/** How the connection ended, in the words events use (FIN and RST as on the wire). */
const END_REASONS: Readonly<Record<MediaEndReason, PublishEndReason>> = {
  closed: 'FIN',
  reset: 'RST',
  timeout: 'idle',
  kicked: 'kicked',
  error: 'error',
};

/** What a session uses: the store (segments, its history record), the clock, and the registry it leaves when done. */
export interface LiveSessionServices {
  store: Store;
  clock: Pick<ControlledClock, 'now' | 'onChange'>;
  live: Pick<LiveRegistry, 'release'>;
  /** The byte cap of one open segment (--segment-max-mb). */
  config: { segmentMaxBytes: number };
  events: EventBus;
  /** Ingest fault rules (stall, drop) asked before each commit. */
  faults: Pick<FaultRules, 'takeIngest'>;
}

export interface LiveSessionOptions {
  services: LiveSessionServices;
  log: Logger;
  target: PublishTarget;
  publishId: number;
  connectedMs: number;
  /** Segment times start here: the connect time, or later if the channel's earlier media (pushed faster than real time) runs past it. */
  mediaStartMs: number;
  remoteAddr: string;
  /** Closes the RTMP connection (the sink then gets end('kicked')), telling the publisher `status` first when given. */
  kickConnection(reason: string, status?: RefusalStatus): void;
  /** Flow control on the RTMP socket while cut segments wait for storage. */
  pauseConnection?(): void;
  resumeConnection?(): void;
  /** The channel's previous publish, still flushing: this one's writes wait for it (its ENDLIST playlist comes first). */
  after?: Promise<void>;
  /** Told, per committed segment, how long after its closing keyframe arrived it became visible. */
  onSegmentVisible?(delayMs: number): void;
  /** The channel's Snapshot config at work: gets the demuxed video tags; the record closes once its snapshots are stored. */
  snapshots?: SnapshotSink;
}

/** Cut segments waiting for storage, in multiples of the per-segment cap, before the socket stops being read. */
const QUEUED_SEGMENT_BYTES_FACTOR = 2;

/**
 * One accepted publish: media in (MediaSink), segments out (SegmentWriter), stat for GetLiveChannelStat (LivePublish).
 * Segments commit one at a time in order; the history record closes when the publisher leaves and the last
 * segment and the final playlist are written.
 */
export class LiveSession implements MediaSink, LivePublish {
  readonly bucket: string;
  readonly channel: string;
  readonly publishId: number;
  /** Resolves once everything this publish produced is committed and its record closed. */
  readonly done: Promise<void>;
  /** The one media stage (FLV tag -> access unit) the segmenter and the snapshotter both read. */
  private readonly demuxer = new FlvDemuxer({ reuseFrameMemory: true });
  private readonly segmenter: HlsSegmenter;
  private readonly writer: SegmentWriter;
  private readonly video: BandwidthMeter;
  private readonly audio: BandwidthMeter;
  private commits: Promise<void>;
  /** Maps media time to emulator time: a segment starting at media time m is named wallMs + (m - mediaMs). */
  private anchor: { wallMs: number; mediaMs: number } | undefined;
  /** Jumps of the emulator clock (set/advance) since the last segment began, applied at the next one. */
  private clockShiftMs = 0;
  private readonly unsubscribeClock: () => void;
  /** Bytes of cut segments not yet committed: bounded, so a disk slower than the publisher cannot fill memory. */
  private queuedBytes = 0;
  private inputPaused = false;
  private failed = false;
  private readonly warnings: string[] = [];
  /** Set when the server ends the publish (kick), so publish-end says why rather than just 'kicked'. */
  private endedAs: { reason: PublishEndReason; detail: string } | undefined;
  private ended = false;
  private resolveDone!: () => void;

  constructor(private readonly opts: LiveSessionOptions) {
    this.commits = (opts.after ?? Promise.resolve()).catch(() => undefined);
    const { target, services } = opts;
    this.bucket = target.bucket;
    this.channel = target.channel.name;
    this.publishId = opts.publishId;
    this.segmenter = new HlsSegmenter({ fragDurationSec: target.channel.fragDuration, maxSegmentBytes: services.config.segmentMaxBytes });
    this.writer = new SegmentWriter(services.store, services.clock, {
      bucket: this.bucket,
      channel: this.channel,
      playlistName: target.playlistName,
      fragCount: target.channel.fragCount,
      publishId: opts.publishId,
    });
    // Bandwidth is a rate of bytes over real seconds: measured on real time, so a frozen or moved clock leaves it right.
    this.video = new BandwidthMeter(Date.now());
    this.audio = new BandwidthMeter(Date.now());
    // Segments pushed after the clock is moved get times on the moved clock (a jump is carried into the mapping).
    this.unsubscribeClock = services.clock.onChange((change) => (this.clockShiftMs += change.toMs - change.fromMs));
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  packet(p: MediaPacket): void {
    if (this.failed || this.ended) return;
    // Real time: arrival feeds the bandwidth rate and the commit-latency measure, not any stored time.
    const now = Date.now();
    (p.type === 'video' ? this.video : this.audio).add(p.data.length, now);
    let tag: DemuxedTag;
    let events: SegmenterEvent[];
    try {
      tag = this.demuxer.push(p);
      events = this.segmenter.push(tag, now);
    } catch (err) {
      // OSS keeps H.264 only: a stream it cannot record is ended, with the reason in the log.
      this.failed = true;
      this.endedAs ??= { reason: 'refused-media', detail: (err as Error).message };
      this.opts.log.warn(
        { bucket: this.bucket, channel: this.channel, err: (err as Error).message },
        'refusing stream media; disconnecting',
      );
      this.opts.kickConnection((err as Error).message, { code: 'NetStream.Publish.Rejected', description: (err as Error).message });
      return;
    }
    this.apply(events, now);
    if (tag.type === 'video') this.opts.snapshots?.tag(tag);
  }

  get namedUntilMs(): number {
    return this.writer.namedUntilMs;
  }

  get flushing(): boolean {
    return this.ended;
  }

  end(reason: MediaEndReason): void {
    if (this.ended) return;
    this.ended = true;
    this.unsubscribeClock();
    const { services, log } = this.opts;
    const endedMs = services.clock.now();
    if (!this.failed) {
      try {
        this.apply(this.segmenter.end(), Date.now());
      } catch (err) {
        log.warn({ err }, 'could not flush the last segment');
      }
    }
    this.writer.discardOpen(); // a segment left open (refused media): its partial file goes
    const snapshotsDone = this.opts.snapshots?.stop();
    const { bucket, channel, publishId } = this;
    this.commits = this.commits
      .then(async () => {
        if (await this.writer.finish()) {
          services.events.emit('playlist-updated', {
            bucket,
            channel,
            key: this.writer.playlistKey,
            ...this.writer.playlistWindow,
            ended: true,
          });
        }
      })
      .catch((err: unknown) => log.error({ err }, 'could not finalise the playlist'))
      .then(() => snapshotsDone)
      .then(() => {
        services.store.closePublish(this.publishId, endedMs);
        services.live.release(this);
        log.info({ bucket: this.bucket, channel: this.channel, reason }, 'publish ended');
        const endedAs = this.endedAs ?? { reason: END_REASONS[reason], detail: undefined };
        services.events.emit('publish-end', {
          bucket,
          channel,
          publishId,
          reason: endedAs.reason,
          ...(endedAs.detail ? { detail: endedAs.detail } : {}),
        });
        this.resolveDone();
      });
  }

  /** Ends the publish from the server side; `as` is the reason events report (default 'kicked'). */
  kick(reason: string, as: PublishEndReason = 'kicked'): void {
    this.endedAs ??= { reason: as, detail: reason };
    this.opts.kickConnection(reason);
  }

  stat(): LiveStat {
    const now = Date.now();
    const info = this.segmenter.info;
    return {
      connectedMs: this.opts.connectedMs,
      remoteAddr: this.opts.remoteAddr,
      video: info.video && {
        width: info.video.width,
        height: info.video.height,
        frameRate: info.video.frameRate,
        bandwidth: this.video.bytesPerSecond(now),
        codec: info.video.codec,
      },
      audio: info.audio && { bandwidth: this.audio.bytesPerSecond(now), sampleRate: info.audio.sampleRate, codec: info.audio.codec },
      warnings: [...this.warnings],
    };
  }

  private apply(events: SegmenterEvent[], arrivedMs: number): void {
    for (const event of events) {
      switch (event.type) {
        case 'segment-start':
          this.anchor ??= { wallMs: this.opts.mediaStartMs, mediaMs: event.startMs };
          this.anchor.wallMs += this.clockShiftMs;
          this.clockShiftMs = 0;
          this.writer.begin(this.anchor.wallMs + (event.startMs - this.anchor.mediaMs), event.discontinuity !== undefined);
          break;
        case 'data':
          this.writer.append(event.bytes);
          break;
        case 'segment-end':
          this.enqueue(this.writer.take(event.durationSec), arrivedMs);
          break;
        case 'warning':
          if (this.warnings.length < 20) this.warnings.push(event.message);
          this.opts.log.warn({ bucket: this.bucket, channel: this.channel }, event.message);
          break;
      }
    }
  }

  private enqueue(pending: PendingSegment, arrivedMs: number): void {
    const { log, services, onSegmentVisible } = this.opts;
    const bytes = pending.file.size;
    this.queuedBytes += bytes;
    const limit = QUEUED_SEGMENT_BYTES_FACTOR * services.config.segmentMaxBytes;
    if (this.queuedBytes > limit && !this.inputPaused) {
      // TCP flow control, as a real ingest server under a slow disk: stop reading until storage catches up.
      this.inputPaused = true;
      this.opts.pauseConnection?.();
    }
    this.commits = this.commits.then(async () => {
      if (await this.injectedFault(pending)) {
        this.queuedBytes -= bytes;
        this.writer.drop(pending);
        return;
      }
      this.queuedBytes -= bytes;
      if (this.inputPaused && this.queuedBytes <= limit / 2) {
        this.inputPaused = false;
        this.opts.resumeConnection?.();
      }
      try {
        const segment = await this.writer.commit(pending);
        onSegmentVisible?.(Date.now() - arrivedMs);
        log.debug({ key: segment.key, durationMs: segment.durationMs }, 'segment committed');
        const { bucket, channel, publishId } = this;
        services.events.emit('segment-committed', {
          bucket,
          channel,
          key: segment.key,
          sequence: segment.sequence,
          duration: segment.durationMs / 1000,
          durationMs: segment.durationMs,
          startMs: segment.startWallMs,
          publishId,
        });
        services.events.emit('playlist-updated', {
          bucket,
          channel,
          key: this.writer.playlistKey,
          ...this.writer.playlistWindow,
          ended: false,
        });
      } catch (err) {
        log.error({ err, bucket: this.bucket, channel: this.channel }, 'could not write a segment');
        // A full disk ends the publish (as a real ingest server drops the stream) instead of losing every later segment.
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') this.kick('disk full', 'disk-full');
      }
    });
  }

  /** An ingest fault rule (POST /-/faults, target ingest) for this segment: stall its commit, or drop it (true). */
  private async injectedFault(pending: PendingSegment): Promise<boolean> {
    const { services, log } = this.opts;
    const { bucket, channel, publishId } = this;
    const key = `${channel}/${pending.startWallMs}.ts`;
    const rule = services.faults.takeIngest({ bucket, channel, key });
    if (!rule) return false;
    services.events.emit('fault-injected', { faultId: rule.id, action: rule.action.type, bucket, channel, key });
    log.info({ bucket, channel, key, faultId: rule.id, action: rule.action.type }, 'injected ingest fault');
    const holdMs = rule.delayMs + (rule.action.type === 'stall' ? rule.action.ms : 0);
    if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
    if (rule.action.type !== 'drop') return false;
    services.events.emit('segment-dropped', {
      bucket,
      channel,
      key,
      durationMs: Math.round(pending.durationSec * 1000),
      publishId,
      faultId: rule.id,
    });
    return true;
  }
}
