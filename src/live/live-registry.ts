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

/** A publish in progress, as the registry sees it. */
export interface LivePublish {
  readonly bucket: string;
  readonly channel: string;
  readonly publishId: number;
  stat(): LiveStat;
  /** Ends the publish from the server side (channel disabled, emulator closing); `as` is what events report. */
  kick(reason: string, as?: PublishEndReason): void;
}

const keyOf = (bucket: string, channel: string) => `${bucket}\u0000${channel}`;

/**
 * Who is publishing where. The ingest side adds and removes publishes; HTTP operations read it (stat, ChannelStillLive)
 * and ask it to kick publishers (PutLiveChannelStatus disabled). One publisher per channel.
 */
export class LiveRegistry {
  private readonly byChannel = new Map<string, LivePublish>();

  get(bucket: string, channel: string): LivePublish | undefined {
    return this.byChannel.get(keyOf(bucket, channel));
  }

  isLive(bucket: string, channel: string): boolean {
    return this.byChannel.has(keyOf(bucket, channel));
  }

  /** Claims the channel; false when somebody already publishes to it. */
  claim(publish: LivePublish): boolean {
    const key = keyOf(publish.bucket, publish.channel);
    if (this.byChannel.has(key)) return false;
    this.byChannel.set(key, publish);
    return true;
  }

  release(publish: LivePublish): void {
    const key = keyOf(publish.bucket, publish.channel);
    if (this.byChannel.get(key) === publish) this.byChannel.delete(key);
  }

  all(): LivePublish[] {
    return [...this.byChannel.values()];
  }
}
