import type { LivePublish, LivePublishes } from '../oss/live-publishes.js';

const keyOf = (bucket: string, channel: string) => `${bucket}\u0000${channel}`;

/**
 * Who is publishing where. The ingest side adds and removes publishes; HTTP operations read it (stat, ChannelStillLive)
 * and ask it to kick publishers (PutLiveChannelStatus disabled). One publisher per channel.
 */
export class LiveRegistry implements LivePublishes {
  private readonly byChannel = new Map<string, LivePublish>();

  get(bucket: string, channel: string): LivePublish | undefined {
    return this.byChannel.get(keyOf(bucket, channel));
  }

  isLive(bucket: string, channel: string): boolean {
    return this.byChannel.has(keyOf(bucket, channel));
  }

  /** Somebody is sending to the channel (a publish whose publisher left and only flushes does not count). */
  isPublishing(bucket: string, channel: string): boolean {
    const current = this.byChannel.get(keyOf(bucket, channel));
    return current !== undefined && current.flushing !== true;
  }

  /**
   * Claims the channel; false when somebody already publishes to it. A publish that only flushes its last segment is
   * replaced (OBS Stop -> Start): the channel stays live throughout, and its release() then leaves the new one alone.
   */
  claim(publish: LivePublish): boolean {
    const key = keyOf(publish.bucket, publish.channel);
    if (this.isPublishing(publish.bucket, publish.channel)) return false;
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
