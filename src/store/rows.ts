/** Shapes of what the store keeps. Domain rules (validation, defaults) live in oss/ and live/, not here. */
export type BucketAcl = 'private' | 'public-read' | 'public-read-write';
export type ObjectAcl = BucketAcl | 'default';

export interface BucketRow {
  name: string;
  acl: BucketAcl;
  storageClass: string;
  createdMs: number;
}

export interface ObjectRow {
  bucket: string;
  key: string;
  file: string;
  size: number;
  /** Quoted upper-case MD5, as OSS sends it. */
  etag: string;
  contentType: string;
  lastModifiedMs: number;
  acl: ObjectAcl;
  /** Stored response headers: x-oss-meta-*, cache-control, content-disposition, content-encoding, expires. */
  headers: Record<string, string>;
}

export interface ChannelRow {
  bucket: string;
  name: string;
  description: string;
  status: 'enabled' | 'disabled';
  type: 'HLS';
  fragDuration: number;
  fragCount: number;
  playlistName: string;
  snapshot: SnapshotConfig | undefined;
  lastModifiedMs: number;
}

export interface SnapshotConfig {
  roleName: string;
  destBucket: string;
  notifyTopic: string;
  interval: number;
}

export interface PublishRow {
  id: number;
  bucket: string;
  channel: string;
  startMs: number;
  endMs: number | undefined;
  remoteAddr: string;
  playlistName: string;
}

export interface SegmentRow {
  id: number;
  publishId: number;
  bucket: string;
  channel: string;
  key: string;
  sequence: number;
  startMs: number;
  durationMs: number;
}
