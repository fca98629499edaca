import type { PublishEndReason } from '../events/event-types.js';

/** Codec facts of a live stream, as GetLiveChannelStat reports them. */
export interface LiveVideoStat {
  width: number;
  height: number;
  frameRate: number;
  /** Bytes per second over the recent window. */
  bandwidth: number;
  codec: string;
}

export interface LiveAudioStat {
  bandwidth: number;
  sampleRate: number;
  codec: string;
}

export interface LiveStat {
  connectedMs: number;
  remoteAddr: string;
  video: LiveVideoStat | undefined;
  audio: LiveAudioStat | undefined;
  /** What the ingest warned about during this publish (keyframe interval, dropped audio), each once. */
  warnings: readonly string[];
}

/** A publish in progress, as operations and the admin API see it. */
export interface LivePublish {
  readonly bucket: string;
  readonly channel: string;
  readonly publishId: number;
  stat(): LiveStat;
  /** The publisher left; only its last segment and playlist are still being written (a new publish may start). */
  readonly flushing?: boolean;
  /** Resolves once everything the publish produced is written and its record closed. */
  readonly done?: Promise<void>;
  /** Where the names (start times, emulator ms) of the segments it has cut end, committed or not. */
  readonly namedUntilMs?: number;
  /** Ends the publish from the server side (channel disabled, emulator closing); `as` is what events report. */
  kick(reason: string, as?: PublishEndReason): void;
}

/**
 * What the OSS side may know about publishes in progress (GetLiveChannelStat, ChannelStillLive, the kick after
 * PutLiveChannelStatus disabled). Declared here, implemented by live/live-registry.ts: oss/ never imports live/.
 */
export interface LivePublishes {
  get(bucket: string, channel: string): LivePublish | undefined;
  isLive(bucket: string, channel: string): boolean;
  all(): LivePublish[];
}
