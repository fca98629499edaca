/** Shapes of what the store keeps. Domain rules (validation, defaults) live in oss/ and live/, not here. */
export type BucketAcl = 'private' | 'public-read' | 'public-read-write';
export type ObjectAcl = BucketAcl | 'default';

export interface BucketRow {
  name: string;
  acl: BucketAcl;
  storageClass: string;
  createdMs: number;
  /** `LRS` or `ZRS`, given at PutBucket. */
  dataRedundancyType: string;
  /** Empty unless set (OSS has no public API that sets it). */
  comment: string;
}

/** What PutBucket gives; the rest takes the column defaults. */
export type NewBucket = Omit<BucketRow, 'dataRedundancyType' | 'comment'> & Partial<Pick<BucketRow, 'dataRedundancyType' | 'comment'>>;

/** Bytes and object count of one storage class in a bucket; `billedBytes` counts each object as at least 64 KB. */
export interface StorageClassStat {
  objects: number;
  bytes: number;
  billedBytes: number;
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
  /** How the object was made: PutObject (Normal), CompleteMultipartUpload (Multipart), AppendObject (Appendable). */
  objectType: ObjectType;
  storageClass: string;
  /** CRC-64/ECMA as an unsigned decimal string; undefined for bytes stored without one (live segments). */
  crc64: string | undefined;
  /** 0: the bytes are `file`; n > 0: the bytes are n files in sequence (multipart parts, appends), `file` the first. */
  extents: number;
  /** Archive restore state, when one was asked for. */
  restore: RestoreState | undefined;
  /** Object tags in the order they were given (PutObjectTagging, x-oss-tagging). */
  tags: ObjectTags;
  /** Set when the object is a symlink (objectType 'Symlink', its own file empty): the key it points to. */
  symlinkTarget: string | undefined;
}

export type ObjectTags = ReadonlyArray<readonly [string, string]>;

export type ObjectType = 'Normal' | 'Multipart' | 'Appendable' | 'Symlink';

export interface RestoreState {
  /** When the restored copy becomes readable. */
  readyMs: number;
  /** When the restored copy stops being readable. */
  expiryMs: number;
}

/** One file of a multi-file object, in order. */
export interface Extent {
  file: string;
  size: number;
}

export interface UploadMeta {
  contentType: string;
  acl: ObjectAcl;
  headers: Record<string, string>;
  storageClass: string;
  /** x-oss-tagging given at InitiateMultipartUpload, the object's tags at CompleteMultipartUpload. */
  tags?: ObjectTags;
  /** Initiated with `?sequential`: the completed object gets the whole content's Content-MD5, as OSS gives it. */
  sequential?: boolean;
}

export interface UploadRow {
  uploadId: string;
  bucket: string;
  key: string;
  initiatedMs: number;
  meta: UploadMeta;
}

export interface PartRow {
  uploadId: string;
  partNumber: number;
  file: string;
  size: number;
  /** Quoted upper-case MD5. */
  etag: string;
  crc64: string | undefined;
  lastModifiedMs: number;
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
