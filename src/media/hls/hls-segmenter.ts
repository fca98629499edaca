import { channelCount } from '../aac.js';
import type { AudioSpecificConfig } from '../aac.js';
import type { AccessUnit } from '../access-unit.js';
import type { SpsInfo } from '../avc.js';
import { FlvDemuxer, type AudioFrame, type DemuxedTag, type VideoFrame } from '../flv-demux.js';
import { parseFlv } from '../flv.js';
import { TimestampNormaliser } from '../timestamp-normaliser.js';
import { TsMuxer } from '../ts/muxer.js';

export interface StreamInfo {
  video?: { codec: 'H264'; width: number; height: number; frameRate: number };
  audio?: { codec: 'AAC'; sampleRate: number; channels: number };
}

export type SegmenterEvent =
  /** `discontinuity`: the publisher's timestamps jumped here (EXT-X-DISCONTINUITY before this segment). */
  | { type: 'segment-start'; startMs: number; discontinuity?: string }
  | { type: 'data'; bytes: Buffer }
  | { type: 'segment-end'; durationSec: number; endMs: number }
  | { type: 'warning'; message: string };

/** OSS cuts anyway after max(2 x FragDuration, 60 s) without a keyframe. */
const FORCED_CUT_MIN_MS = 60_000;
/** ~4 AAC frames per PES: 2 TS packets per 23 ms frame shrink to ~5 per 93 ms (TS packets per second of audio: fewer, fuller packets). */
const AUDIO_PES_MAX_SPAN_MS = 90;
const AUDIO_PES_MAX_BYTES = 32 * 1024;
/** How long audio may run ahead of video while we wait to learn which segment it belongs to. */
const MAX_AUDIO_LEAD_MS = 1000;
const REMUX_FRAG_SEC = 2;
/** Default byte cap of one open segment: cut at the next keyframe past it, at any frame past twice it. */
export const DEFAULT_SEGMENT_MAX_BYTES = 32 * 1024 * 1024;
/** Audio held while video lags (frames): bounded whatever the timestamps say. */
const MAX_PENDING_AUDIO_FRAMES = 512;
/** Repeated timestamp complaints are logged this many times per publish, then every 1000th. */
const TIMESTAMP_WARNINGS_IN_FULL = 5;

export interface HlsSegmenterOptions {
  fragDurationSec: number;
  /** Bounds the memory one open segment may hold (see DEFAULT_SEGMENT_MAX_BYTES). */
  maxSegmentBytes?: number;
}

/**
 * Demuxed FLV tags (FlvDemuxer's output) in, TS segments out as events (sans-IO: the live ingest owns sockets and files).
 * A segment starts at a video keyframe; it is cut at the first keyframe whose DTS is >= start + fragDuration.
 * Audio is held until video passes its DTS, so each audio frame lands in the segment current at its DTS.
 */
export class HlsSegmenter {
  private readonly fragMs: number;
  private readonly forcedCutMs: number;
  private readonly muxer = new TsMuxer();
  private sps: SpsInfo | undefined;
  private aac: AudioSpecificConfig | undefined;
  private segmentStartMs: number | undefined;
  private firstVideoDts: number | undefined;
  private lastVideoDts: number | undefined;
  private videoFrames = 0;
  /** Audio not yet placed in a segment: its DTS is not behind the latest video DTS. */
  private pendingAudio: AccessUnit[] = [];
  /** Audio placed in the current segment, waiting to be muxed as one PES. */
  private audioBundle: AccessUnit[] = [];
  private audioBundleBytes = 0;
  private readonly warned = new Set<string>();
  private lastKeyDts: number | undefined;
  private keyframeIntervalWarned = false;
  private events: SegmenterEvent[] = [];
  private readonly timeline = new TimestampNormaliser();
  private readonly maxSegmentBytes: number;
  /** Media bytes in the open segment, and when (emulator clock) it opened. */
  private segmentBytes = 0;
  private segmentOpenedWallMs: number | undefined;
  private wallMs: number | undefined;
  /** Set by a timestamp jump: the next segment starts with a discontinuity. */
  private pendingDiscontinuity: string | undefined;
  private timestampComplaints = 0;

  constructor(opts: HlsSegmenterOptions) {
    if (!(opts.fragDurationSec > 0) || !Number.isFinite(opts.fragDurationSec)) {
      throw new RangeError(`fragDurationSec must be a positive number, got ${opts.fragDurationSec}`);
    }
    this.fragMs = opts.fragDurationSec * 1000;
    this.forcedCutMs = Math.max(2 * this.fragMs, FORCED_CUT_MIN_MS);
    this.maxSegmentBytes = opts.maxSegmentBytes ?? DEFAULT_SEGMENT_MAX_BYTES;
  }

  /** `wallMs` (the emulator clock at arrival) lets a segment whose timestamps do not advance be cut on wall-clock time too. */
  push(tag: DemuxedTag, wallMs?: number): SegmenterEvent[] {
    this.events = [];
    this.wallMs = wallMs;
    switch (tag.kind) {
      case 'video-config':
        this.sps = tag.sps;
        break;
      case 'video':
        this.onVideo(tag);
        break;
      case 'audio-config':
        this.aac = tag.config;
        if (tag.warning !== undefined) this.warnOnce(tag.warning);
        break;
      case 'audio':
        this.onAudio(tag);
        break;
      case 'skipped':
        if (tag.warning !== undefined) this.warnOnce(tag.warning);
        break;
    }
    this.emitData();
    return this.events;
  }

  /** Flushes held audio and closes the open segment; its duration ends one frame after the last video DTS. */
  end(): SegmenterEvent[] {
    this.events = [];
    if (this.segmentStartMs !== undefined && this.lastVideoDts !== undefined) {
      for (const frame of this.pendingAudio) this.addToAudioBundle(frame);
      this.pendingAudio = [];
      this.flushAudioBundle();
      this.emitData();
      this.endSegment(this.lastVideoDts + this.frameDurationMs());
    }
    return this.events;
  }

  get info(): StreamInfo {
    const info: StreamInfo = {};
    if (this.sps) {
      const { width, height } = this.sps;
      const frameMs = this.frameDurationMs();
      info.video = { codec: 'H264', width, height, frameRate: frameMs > 0 ? Math.round(1000 / frameMs) : 0 };
    }
    if (this.aac) {
      const config = this.aac;
      info.audio = {
        codec: 'AAC',
        sampleRate: config.extensionSampleRate ?? config.sampleRate,
        channels: channelCount(config.channelConfiguration),
      };
    }
    return info;
  }

  private onVideo(v: VideoFrame): void {
    const dts = this.retime('video', v.timestamp);
    const { data } = v;
    const frame: AccessUnit = { dts, pts: dts + v.compositionTimeMs, key: v.key, data };

    if (this.segmentStartMs === undefined) {
      if (!frame.key) return; // nothing is emitted before the first keyframe
      this.pendingAudio = this.pendingAudio.filter((a) => a.dts >= dts);
      this.startSegment(dts);
      this.lastKeyDts = dts;
    } else {
      this.placeAudioBefore(dts);
      const elapsed = dts - this.segmentStartMs;
      const openForMs = this.wallMs !== undefined && this.segmentOpenedWallMs !== undefined ? this.wallMs - this.segmentOpenedWallMs : 0;
      if (frame.key) this.checkKeyframeInterval(dts);
      if (this.pendingDiscontinuity !== undefined) {
        this.cut(dts); // nginx-rtmp: a timestamp jump forces a fragment split, whatever the frame
      } else if (frame.key && elapsed >= this.fragMs - this.frameDurationMs() / 2) {
        // Half a frame of tolerance: encoders place keyframes on their own clock (OBS's second one 1999 ms after the first).
        this.cut(dts);
      } else if (frame.key && this.segmentBytes >= this.maxSegmentBytes) {
        this.warn(`segment reached ${this.segmentBytes} bytes: cut at the next keyframe (limit ${this.maxSegmentBytes})`);
        this.cut(dts);
      } else if (this.segmentBytes + data.length > 2 * this.maxSegmentBytes) {
        this.warn(
          `segment reached ${this.segmentBytes} bytes without a keyframe: cut at a non-key frame (limit ${2 * this.maxSegmentBytes})`,
        );
        this.cut(dts);
      } else if (elapsed >= this.forcedCutMs) {
        const message = `no keyframe within ${this.forcedCutMs / 1000} s: segment cut at a non-key frame (DTS ${dts} ms)`;
        this.events.push({ type: 'warning', message });
        this.cut(dts);
      } else if (openForMs >= this.forcedCutMs) {
        this.warn(`segment open for ${openForMs} ms of wall-clock time (media time ${elapsed} ms): cut`);
        this.cut(dts);
      }
    }
    this.segmentBytes += data.length;
    this.muxer.writeVideo(frame);
    this.firstVideoDts ??= dts;
    this.lastVideoDts = dts;
    this.videoFrames++;
  }

  private onAudio(a: AudioFrame): void {
    const dts = this.retime('audio', a.timestamp);
    this.pendingAudio.push({ dts, pts: dts, key: true, data: a.data });
    if (this.segmentStartMs !== undefined && this.lastVideoDts !== undefined) this.placeAudioBefore(this.lastVideoDts);
    // Video stalled (or never started): do not hold audio forever, by time or by count.
    while (
      this.pendingAudio.length > 0 &&
      (dts - this.pendingAudio[0]!.dts > MAX_AUDIO_LEAD_MS || this.pendingAudio.length > MAX_PENDING_AUDIO_FRAMES)
    ) {
      const frame = this.pendingAudio.shift()!;
      if (this.segmentStartMs !== undefined) this.addToAudioBundle(frame);
    }
  }

  /** Moves held audio whose DTS is before `ms` into the current segment, in arrival order. */
  private placeAudioBefore(ms: number): void {
    let n = 0;
    while (n < this.pendingAudio.length && this.pendingAudio[n]!.dts < ms) this.addToAudioBundle(this.pendingAudio[n++]!);
    if (n > 0) this.pendingAudio.splice(0, n);
  }

  private addToAudioBundle(frame: AccessUnit): void {
    const first = this.audioBundle[0];
    const spanFull = first !== undefined && frame.dts - first.dts >= AUDIO_PES_MAX_SPAN_MS;
    if (spanFull || this.audioBundleBytes + frame.data.length > AUDIO_PES_MAX_BYTES) this.flushAudioBundle();
    this.audioBundle.push(frame);
    this.audioBundleBytes += frame.data.length;
    this.segmentBytes += frame.data.length;
  }

  private flushAudioBundle(): void {
    if (this.audioBundle.length === 0) return;
    this.muxer.writeAudio(this.audioBundle);
    this.audioBundle = [];
    this.audioBundleBytes = 0;
  }

  private cut(atMs: number): void {
    this.flushAudioBundle();
    this.emitData();
    this.endSegment(atMs);
    this.startSegment(atMs);
  }

  private startSegment(startMs: number): void {
    const discontinuity = this.pendingDiscontinuity;
    this.pendingDiscontinuity = undefined;
    this.events.push(discontinuity === undefined ? { type: 'segment-start', startMs } : { type: 'segment-start', startMs, discontinuity });
    this.muxer.writeTables(this.aac !== undefined);
    this.segmentStartMs = startMs;
    this.segmentBytes = 0;
    this.segmentOpenedWallMs = this.wallMs;
  }

  private endSegment(endMs: number): void {
    this.events.push({ type: 'segment-end', durationSec: (endMs - this.segmentStartMs!) / 1000, endMs });
    this.segmentStartMs = undefined;
  }

  private emitData(): void {
    const bytes = this.muxer.take();
    if (bytes) this.events.push({ type: 'data', bytes });
  }

  /** Mean DTS step of the video so far; falls back to the SPS timing info before two frames are seen. */
  /** Warns once per publish when keyframes come further apart than FragDuration: segments then last that long. */
  private checkKeyframeInterval(dts: number): void {
    const gap = this.lastKeyDts === undefined ? 0 : dts - this.lastKeyDts;
    this.lastKeyDts = dts;
    if (this.keyframeIntervalWarned || gap <= this.fragMs + this.frameDurationMs() / 2) return;
    this.keyframeIntervalWarned = true;
    const fragSec = this.fragMs / 1000;
    this.events.push({
      type: 'warning',
      message:
        `keyframe interval ${(gap / 1000).toFixed(1)} s is longer than FragDuration ${fragSec} s: segments last as long as the ` +
        `keyframe interval; set the encoder's keyframe interval to ${fragSec} s or less (OBS: Output > Keyframe Interval)`,
    });
  }

  private frameDurationMs(): number {
    if (this.videoFrames >= 2) return (this.lastVideoDts! - this.firstVideoDts!) / (this.videoFrames - 1);
    return this.sps?.frameRate ? 1000 / this.sps.frameRate : 0;
  }

  /** Coded frames only (sequence headers share the first frame's timestamp): the publish's monotonic timeline. */
  private retime(type: 'audio' | 'video', timestamp: number): number {
    const verdict = this.timeline.next(type, timestamp);
    const complaint = verdict.discontinuity ?? verdict.clamped;
    if (complaint !== undefined) this.complain(complaint);
    if (verdict.discontinuity !== undefined && type === 'video') this.pendingDiscontinuity = verdict.discontinuity;
    return verdict.timestamp;
  }

  private warn(message: string): void {
    this.events.push({ type: 'warning', message });
  }

  /** Timestamp trouble comes per frame from a broken or hostile publisher: log it, but not per frame. */
  private complain(message: string): void {
    const n = this.timestampComplaints++;
    if (n < TIMESTAMP_WARNINGS_IN_FULL || n % 1000 === 0) this.warn(`${message} (${n + 1} timestamp corrections so far)`);
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.events.push({ type: 'warning', message });
  }
}

/** A whole FLV file as one continuous TS (segment boundaries just repeat PAT/PMT), through the same stages. */
export function remuxFlvToTs(flv: Buffer): Buffer {
  const demuxer = new FlvDemuxer();
  const segmenter = new HlsSegmenter({ fragDurationSec: REMUX_FRAG_SEC });
  const chunks: Buffer[] = [];
  const collect = (events: SegmenterEvent[]): void => {
    for (const e of events) if (e.type === 'data') chunks.push(e.bytes);
  };
  for (const tag of parseFlv(flv).tags) {
    if (tag.type !== 'script') collect(segmenter.push(demuxer.push({ type: tag.type, timestamp: tag.timestamp, data: tag.data })));
  }
  collect(segmenter.end());
  return Buffer.concat(chunks);
}
