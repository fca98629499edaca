import type { Readable } from 'node:stream';
import type { LiveAudioStat, LivePublish, LivePublishes, LiveVideoStat } from '../oss/live-publishes.js';
import type { ChannelRow, ObjectRow, PublishRow, SegmentRow } from '../store/rows.js';
import type { Store } from '../store/store.js';

// What a test may read of the emulator's state without signing a request (README "Inspect the state from a test").
// Plain copies: changing one changes nothing in the emulator. Times are on the emulator clock, in ms since the epoch.

export type BucketAclName = 'private' | 'public-read' | 'public-read-write';

export interface BucketInfo {
  name: string;
  acl: BucketAclName;
  storageClass: string;
  createdMs: number;
}

export interface ObjectInfo {
  bucket: string;
  key: string;
  size: number;
  /** Quoted upper-case MD5 (or the multipart form), as OSS sends it. */
  etag: string;
  contentType: string;
  lastModifiedMs: number;
  /** The object's own ACL; `default` follows the bucket's. */
  acl: BucketAclName | 'default';
  /** `Normal` (PutObject, live segments), `Multipart`, `Appendable`, `Symlink`. */
  objectType: 'Normal' | 'Multipart' | 'Appendable' | 'Symlink';
  storageClass: string;
  /** CRC-64/ECMA as an unsigned decimal string; undefined for live segments. */
  crc64: string | undefined;
  /** Stored response headers: `x-oss-meta-*`, cache-control, content-disposition, content-encoding, expires. */
  headers: Record<string, string>;
  tags: ReadonlyArray<readonly [string, string]>;
  /** Set on a symlink: the key it points to. */
  symlinkTarget: string | undefined;
  /** Archive restore state, when one was asked for. */
  restore: { readyMs: number; expiryMs: number } | undefined;
}

/** A publish running now, as GetLiveChannelStat reports it. */
export interface LivePublishInfo {
  bucket: string;
  channel: string;
  publishId: number;
  connectedMs: number;
  remoteAddr: string;
  video: LiveVideoStat | undefined;
  audio: LiveAudioStat | undefined;
  /** What the ingest warned about during this publish (keyframe interval, dropped audio), each once. */
  warnings: readonly string[];
}

export interface ChannelInfo {
  bucket: string;
  name: string;
  description: string;
  status: 'enabled' | 'disabled';
  type: 'HLS';
  fragDuration: number;
  fragCount: number;
  playlistName: string;
  snapshot: { roleName: string; destBucket: string; notifyTopic: string; interval: number } | undefined;
  lastModifiedMs: number;
  /** As GetLiveChannelStat says it: `Live` while a publish runs (or writes its last segment), else `Disabled` or `Idle`. */
  state: 'Idle' | 'Live' | 'Disabled';
  /** The running publish, while the channel is live. */
  live: LivePublishInfo | undefined;
}

/** One committed live segment: its `.ts` object and where it sits in the channel's recording. */
export interface SegmentInfo {
  bucket: string;
  channel: string;
  key: string;
  /** Media sequence number within its publish. */
  sequence: number;
  startMs: number;
  durationMs: number;
  publishId: number;
}

/** One finished publish, as GetLiveChannelHistory lists it. */
export interface PublishRecord {
  publishId: number;
  bucket: string;
  channel: string;
  startMs: number;
  endMs: number;
  remoteAddr: string;
  playlistName: string;
}

/** The emulator's state, read-only (`emu.state`). */
export interface EmulatorState {
  /** Every bucket, by name. */
  buckets(): BucketInfo[];
  bucket(name: string): BucketInfo | undefined;
  /** Every object of the bucket (or those whose key starts with `prefix`), in key order. */
  objects(bucket: string, options?: { prefix?: string }): ObjectInfo[];
  object(bucket: string, key: string): ObjectInfo | undefined;
  /** The bytes stored under the key (a symlink's own bytes are empty), or undefined when there is no such object. */
  readObject(bucket: string, key: string): Promise<Buffer | undefined>;
  /** Every LiveChannel of the bucket, by name. */
  channels(bucket: string): ChannelInfo[];
  channel(bucket: string, name: string): ChannelInfo | undefined;
  /** A publish runs on the channel, or still writes its last segment, playlist and history record. */
  isLive(bucket: string, channel: string): boolean;
  /** Every publish running now. */
  livePublishes(): LivePublishInfo[];
  /** Committed segments of the channel (of every channel of the bucket when none is named), by start time. */
  segments(bucket: string, channel?: string): SegmentInfo[];
  /** Finished publishes of the channel, newest first, at most `limit` (10, as GetLiveChannelHistory). */
  history(bucket: string, channel: string, limit?: number): PublishRecord[];
}

const objectInfo = (o: ObjectRow): ObjectInfo => ({
  bucket: o.bucket,
  key: o.key,
  size: o.size,
  etag: o.etag,
  contentType: o.contentType,
  lastModifiedMs: o.lastModifiedMs,
  acl: o.acl,
  objectType: o.objectType,
  storageClass: o.storageClass,
  crc64: o.crc64,
  headers: { ...o.headers },
  tags: o.tags.map(([k, v]) => [k, v] as const),
  symlinkTarget: o.symlinkTarget,
  restore: o.restore && { ...o.restore },
});

const liveInfo = (p: LivePublish): LivePublishInfo => {
  const stat = p.stat();
  return {
    bucket: p.bucket,
    channel: p.channel,
    publishId: p.publishId,
    connectedMs: stat.connectedMs,
    remoteAddr: stat.remoteAddr,
    video: stat.video && { ...stat.video },
    audio: stat.audio && { ...stat.audio },
    warnings: [...stat.warnings],
  };
};

const segmentInfo = ({ id: _id, ...s }: SegmentRow): SegmentInfo => s;

const publishRecord = (p: PublishRow): PublishRecord => ({
  publishId: p.id,
  bucket: p.bucket,
  channel: p.channel,
  startMs: p.startMs,
  endMs: p.endMs!,
  remoteAddr: p.remoteAddr,
  playlistName: p.playlistName,
});

const PAGE = 1000;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The read-only view over the store and the live registry that `emu.state` is. @internal */
export function createEmulatorState(store: Store, live: LivePublishes): EmulatorState {
  const channelInfo = (c: ChannelRow): ChannelInfo => {
    const publish = live.get(c.bucket, c.name);
    return {
      bucket: c.bucket,
      name: c.name,
      description: c.description,
      status: c.status,
      type: c.type,
      fragDuration: c.fragDuration,
      fragCount: c.fragCount,
      playlistName: c.playlistName,
      snapshot: c.snapshot && { ...c.snapshot },
      lastModifiedMs: c.lastModifiedMs,
      state: publish ? 'Live' : c.status === 'disabled' ? 'Disabled' : 'Idle',
      live: publish && liveInfo(publish),
    };
  };
  return {
    buckets: () => store.listBuckets().map(({ name, acl, storageClass, createdMs }) => ({ name, acl, storageClass, createdMs })),
    bucket(name) {
      const b = store.getBucket(name);
      return b && { name: b.name, acl: b.acl, storageClass: b.storageClass, createdMs: b.createdMs };
    },
    objects(bucket, options = {}) {
      const out: ObjectInfo[] = [];
      for (let after = ''; ;) {
        const page = store.listObjects({ bucket, prefix: options.prefix ?? '', after, delimiter: '', maxKeys: PAGE });
        out.push(...page.objects.map(objectInfo));
        if (!page.isTruncated || page.nextMarker === undefined) return out;
        after = page.nextMarker;
      }
    },
    object(bucket, key) {
      const o = store.getObject(bucket, key);
      return o && objectInfo(o);
    },
    async readObject(bucket, key) {
      const o = store.getObject(bucket, key);
      return o && (o.size === 0 ? Buffer.alloc(0) : readAll(store.openObject(o)));
    },
    channels(bucket) {
      const out: ChannelInfo[] = [];
      for (let after = ''; ;) {
        const page = store.listChannels(bucket, '', after, PAGE);
        out.push(...page.slice(0, PAGE).map(channelInfo));
        if (page.length <= PAGE) return out;
        after = page[PAGE - 1]!.name;
      }
    },
    channel(bucket, name) {
      const c = store.getChannel(bucket, name);
      return c && channelInfo(c);
    },
    isLive: (bucket, channel) => live.isLive(bucket, channel),
    livePublishes: () => live.all().map(liveInfo),
    segments(bucket, channel) {
      const rows =
        channel === undefined
          ? store
              .allSegments()
              .filter((s) => s.bucket === bucket)
              .sort((a, b) => a.startMs - b.startMs || a.id - b.id)
          : store.segmentsInSpan(bucket, channel, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      return rows.map(segmentInfo);
    },
    history: (bucket, channel, limit = 10) => store.recentPublishes(bucket, channel, limit).map(publishRecord),
  };
}
