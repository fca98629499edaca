import { CommitBatch } from './commit-batch.js';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { BytesCache } from './bytes-cache.js';
import { Crc64 } from './crc64.js';
import { WalSync } from './wal-sync.js';
import { LiveFile, type LiveSegmentFile } from './live-file.js';
import { BucketConfigs, type BucketConfigKind } from './bucket-configs.js';
import { openDatabase, type Db } from './database.js';
import { lockDataDir, sweepDeadTempDirs, type DataDirLock } from './data-dir-lock.js';
import { pageListing } from './listing-pages.js';
import { Checkpoints, type CheckpointInfo } from './checkpoints.js';
import { ObjectFiles, type WrittenFile } from './object-files.js';
import { openExtents, type ByteSpan } from './object-reader.js';
import type {
  BucketAcl,
  BucketRow,
  ChannelRow,
  NewBucket,
  StorageClassStat,
  Extent,
  ObjectAcl,
  ObjectRow,
  ObjectTags,
  ObjectType,
  PublishRow,
  RestoreState,
  SegmentRow,
} from './rows.js';
import { rowReader, type SqlRow } from './row-reader.js';
import { Uploads } from './uploads.js';

export interface StoreOptions {
  dataDir: string;
  inMemory: boolean;
}

export interface NewObject {
  contentType: string;
  acl?: ObjectAcl;
  headers?: Record<string, string>;
  lastModifiedMs: number;
  objectType?: ObjectType;
  storageClass?: string;
  tags?: ObjectTags;
  symlinkTarget?: string;
}

/** A live segment to commit: its row, and its bytes with the MD5 computed as they arrived. */
export interface NewSegment extends Omit<SegmentRow, 'id'> {
  /** From openLiveSegment(), with every byte of the segment appended. */
  file: LiveSegmentFile;
  md5: Buffer;
  contentType: string;
}

const md5Of = (chunks: readonly Buffer[]): Buffer => {
  const hash = createHash('md5');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest();
};

/** The bytes of an object being recorded: one file, or several in sequence (extents). */
export interface ObjectBytes {
  /** The first (or only) file. */
  file: string;
  size: number;
  etag: string;
  crc64: string | undefined;
  /** All files in order when there is more than one (the first is `file`). */
  extents?: readonly Extent[];
}

export interface ListObjectsQuery {
  bucket: string;
  prefix: string;
  /** Keys strictly after this one. */
  after: string;
  delimiter: string;
  maxKeys: number;
}

export interface ListObjectsPage {
  objects: ObjectRow[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned, for the next page's marker. */
  nextMarker: string | undefined;
}

/** Runs inside a commit's transaction with the row it would replace; throws to refuse the commit. */
export type CommitGuard = (current: ObjectRow | undefined) => void;
/** An object written or deleted, as told to Store.onObjectChange after it committed. */
export type ObjectChange = { kind: 'written'; row: ObjectRow } | { kind: 'deleted'; bucket: string; key: string };

/** `--in-memory` keeps its object bytes in `<tmpdir>/oss-live-emulator-XXXXXX`. */
export const TEMP_DIR_PREFIX = 'oss-live-emulator-';

export const etagOf = (md5: Buffer): string => `"${md5.toString('hex').toUpperCase()}"`;

const toBucket = rowReader<BucketRow>({
  name: 'value',
  acl: 'value',
  storageClass: 'value',
  createdMs: 'value',
  dataRedundancyType: 'value',
  comment: 'value',
});

const toObject = rowReader<ObjectRow>({
  bucket: 'value',
  key: 'value',
  file: 'value',
  size: 'value',
  etag: 'value',
  contentType: 'value',
  lastModifiedMs: 'value',
  acl: 'value',
  headers: 'json',
  objectType: 'value',
  storageClass: 'value',
  crc64: 'nullable',
  extents: 'value',
  restore: 'nullable-json',
  tags: 'json',
  symlinkTarget: 'nullable',
});

const toChannel = rowReader<ChannelRow>({
  bucket: 'value',
  name: 'value',
  description: 'value',
  status: 'value',
  type: 'value',
  fragDuration: 'value',
  fragCount: 'value',
  playlistName: 'value',
  snapshot: 'nullable-json',
  lastModifiedMs: 'value',
});

const toPublish = rowReader<PublishRow>({
  id: 'value',
  bucket: 'value',
  channel: 'value',
  startMs: 'value',
  endMs: 'nullable',
  remoteAddr: 'value',
  playlistName: 'value',
});

const toSegment = rowReader<SegmentRow>({
  id: 'value',
  publishId: 'value',
  bucket: 'value',
  channel: 'value',
  key: 'value',
  sequence: 'value',
  startMs: 'value',
  durationMs: 'value',
});

/**
 * The only code that touches SQLite or the data directory. Rows and files; no OSS rules.
 * Every change that pairs a file with a row commits the row only after the file is durable, and removes a
 * replaced file only after the row that replaced it committed.
 */
export class Store {
  /** Object bytes on disk, by file id. Private: callers hold rows and file ids, never paths. */
  private readonly files: ObjectFiles;
  /** Live segment commits of all channels that are ready in the same event-loop turn: one transaction. */
  private readonly segmentCommits = new CommitBatch(
    (fn) => this.transaction(fn),
    (files) => this.removeFiles(files),
  );
  /** Multipart uploads and their parts. */
  readonly uploads: Uploads;
  /** Bucket configuration documents (CORS, referer, lifecycle, …). */
  readonly bucketConfigs: BucketConfigs;
  private readonly db: Db;
  private readonly ownedTempDir: string | undefined;
  /** Held from open to close: no second emulator works on this directory meanwhile. */
  private lock: DataDirLock | undefined;
  private readonly q;
  /** Object changes made inside the running transaction, told to onObjectChange once it commits. */
  private pendingChanges: ObjectChange[] = [];
  /** Told about every object written or deleted, after the change is committed (the event bus listens). */
  onObjectChange: ((change: ObjectChange) => void) | undefined;
  /**
   * Committed rows as last read, so a request does not go back to SQLite for the bucket and object it just looked up
   * (a player polling a playlist, a signed GET). Only this class writes the tables; every write forgets the rows it
   * touches (rolled back writes included: the next read goes to SQLite). null = known to be absent.
   */
  private readonly bucketRows = new Map<string, BucketRow | null>();
  private readonly objectRows = new Map<string, ObjectRow | null>();
  private readonly channelRows = new Map<string, ChannelRow | null>();
  /** Bytes of inline objects (small PutObject bodies kept in SQLite), by blob id. */
  private readonly blobBytes = new BytesCache(INLINE_MAX_BYTES, 32 * 1024 * 1024);
  /** Small PutObject bodies waiting for the next group commit. */
  private inlineQueue: PendingInline[] = [];
  /**
   * On disk: the WAL fsync every acknowledged PutObject waits for (group commit: one fsync for all the writes committed
   * before it started). Undefined in memory, where nothing survives the process anyway.
   */
  readonly wal: WalSync | undefined;

  /** Named checkpoints of the whole store (POST /-/snapshot, /-/restore). */
  readonly checkpoints: Checkpoints;

  private constructor(db: Db, files: ObjectFiles, ownedTempDir: string | undefined, checkpointsDir: string, wal?: WalSync) {
    this.db = db;
    this.wal = wal;
    this.files = files;
    this.ownedTempDir = ownedTempDir;
    this.checkpoints = new Checkpoints(db, files, checkpointsDir);
    this.uploads = new Uploads(db, files, this);
    this.bucketConfigs = new BucketConfigs(db);
    const p = (sql: string) => db.prepare(sql);
    this.q = {
      bucketGet: p('SELECT * FROM buckets WHERE name = ?'),
      bucketInsert: p(`INSERT OR IGNORE INTO buckets (name, acl, storage_class, created_ms, data_redundancy_type, comment)
                       VALUES (?, ?, ?, ?, ?, ?)`),
      bucketList: p('SELECT * FROM buckets WHERE name > ? ORDER BY name'),
      bucketDelete: p('DELETE FROM buckets WHERE name = ?'),
      bucketAcl: p('UPDATE buckets SET acl = ? WHERE name = ?'),
      bucketHasObject: p('SELECT 1 FROM objects WHERE bucket = ? LIMIT 1'),
      bucketHasChannel: p('SELECT 1 FROM channels WHERE bucket = ? LIMIT 1'),
      objectGet: p('SELECT * FROM objects WHERE bucket = ? AND key = ?'),
      objectUpsert: p(`INSERT INTO objects (bucket, key, file, size, etag, content_type, last_modified_ms, acl, headers,
                         object_type, storage_class, crc64, extents, restore, tags, symlink_target)
                       VALUES (@bucket, @key, @file, @size, @etag, @contentType, @lastModifiedMs, @acl, @headers,
                         @objectType, @storageClass, @crc64, @extents, NULL, @tags, @symlinkTarget)
                       ON CONFLICT (bucket, key) DO UPDATE SET file = excluded.file, size = excluded.size, etag = excluded.etag,
                         content_type = excluded.content_type, last_modified_ms = excluded.last_modified_ms,
                         acl = excluded.acl, headers = excluded.headers, object_type = excluded.object_type,
                         storage_class = excluded.storage_class, crc64 = excluded.crc64, extents = excluded.extents,
                         restore = NULL, tags = excluded.tags, symlink_target = excluded.symlink_target`),
      objectTags: p('UPDATE objects SET tags = ? WHERE bucket = ? AND key = ?'),
      objectsBefore: p(`SELECT * FROM objects WHERE bucket = ? AND key >= ? AND key > ? AND last_modified_ms < ?
                        ORDER BY key LIMIT ?`),
      objectRestore: p('UPDATE objects SET restore = ? WHERE bucket = ? AND key = ?'),
      objectAppended:
        p(`UPDATE objects SET size = @size, etag = @etag, crc64 = @crc64, extents = @extents, last_modified_ms = @lastModifiedMs
                         WHERE bucket = @bucket AND key = @key`),
      objectMeta: p(`UPDATE objects SET content_type = @contentType, acl = @acl, headers = @headers, storage_class = @storageClass,
                       last_modified_ms = @lastModifiedMs WHERE bucket = @bucket AND key = @key`),
      extentsOf: p('SELECT file, size FROM object_extents WHERE bucket = ? AND key = ? ORDER BY seq'),
      extentsDelete: p('DELETE FROM object_extents WHERE bucket = ? AND key = ?'),
      extentInsert: p('INSERT INTO object_extents (bucket, key, seq, file, size) VALUES (?, ?, ?, ?, ?)'),
      objectDelete: p('DELETE FROM objects WHERE bucket = ? AND key = ?'),
      objectAcl: p('UPDATE objects SET acl = ? WHERE bucket = ? AND key = ?'),
      objectScan: p('SELECT * FROM objects WHERE bucket = ? AND key > ? AND key >= ? ORDER BY key'),
      objectFileKnown: p(`SELECT 1 FROM objects WHERE file = @f UNION ALL SELECT 1 FROM object_extents WHERE file = @f
                          UNION ALL SELECT 1 FROM upload_parts WHERE file = @f LIMIT 1`),
      objectClassStats: p(`SELECT storage_class, count(*) AS n, coalesce(sum(size), 0) AS bytes,
                             coalesce(sum(max(size, 65536)), 0) AS billed FROM objects WHERE bucket = ? GROUP BY storage_class`),
      objectCount: p('SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM objects WHERE bucket = ?'),
      channelGet: p('SELECT * FROM channels WHERE bucket = ? AND name = ?'),
      channelUpsert:
        p(`INSERT INTO channels (bucket, name, description, status, type, frag_duration, frag_count, playlist_name, snapshot, last_modified_ms)
                        VALUES (@bucket, @name, @description, @status, @type, @fragDuration, @fragCount, @playlistName, @snapshot, @lastModifiedMs)
                        ON CONFLICT (bucket, name) DO UPDATE SET description = excluded.description, status = excluded.status,
                          type = excluded.type, frag_duration = excluded.frag_duration, frag_count = excluded.frag_count,
                          playlist_name = excluded.playlist_name, snapshot = excluded.snapshot, last_modified_ms = excluded.last_modified_ms`),
      channelStatus: p('UPDATE channels SET status = ?, last_modified_ms = ? WHERE bucket = ? AND name = ?'),
      channelDelete: p('DELETE FROM channels WHERE bucket = ? AND name = ?'),
      channelScan: p('SELECT * FROM channels WHERE bucket = ? AND name > ? AND name >= ? ORDER BY name'),
      channelAll: p('SELECT * FROM channels ORDER BY bucket, name'),
      channelCount: p('SELECT count(*) AS n FROM channels WHERE bucket = ?'),
      publishInsert: p('INSERT INTO publishes (bucket, channel, start_ms, remote_addr, playlist_name) VALUES (?, ?, ?, ?, ?)'),
      publishClose: p('UPDATE publishes SET end_ms = ? WHERE id = ? AND end_ms IS NULL'),
      publishRecent: p(
        'SELECT * FROM publishes WHERE bucket = ? AND channel = ? AND end_ms IS NOT NULL ORDER BY start_ms DESC, id DESC LIMIT ?',
      ),
      publishOpen: p('SELECT * FROM publishes WHERE end_ms IS NULL'),
      segmentInsert: p(
        'INSERT INTO segments (publish_id, bucket, channel, key, sequence, start_ms, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      segmentsInSpan: p(
        'SELECT * FROM segments WHERE bucket = ? AND channel = ? AND start_ms >= ? AND start_ms <= ? ORDER BY start_ms, id',
      ),
      segmentsOfPublish: p('SELECT * FROM segments WHERE publish_id = ? ORDER BY sequence'),
      segmentAll: p('SELECT * FROM segments ORDER BY id'),
      segmentsEnd: p('SELECT max(start_ms + duration_ms) AS end_ms FROM segments WHERE bucket = ? AND channel = ?'),
      blobInsert: p('INSERT INTO object_blobs (id, data) VALUES (?, ?)'),
      blobGet: p('SELECT data FROM object_blobs WHERE id = ?').pluck(),
      blobDelete: p('DELETE FROM object_blobs WHERE id = ?'),
    };
  }

  /** Throws DataDirInUseError (before touching anything else) when another emulator holds the directory. */
  static open(options: StoreOptions): Store {
    if (options.inMemory) {
      // Temp dirs of in-memory emulators killed with -9 never got their exit clean-up: remove those of dead processes.
      sweepDeadTempDirs(tmpdir(), TEMP_DIR_PREFIX, Date.now());
      const dir = mkdtempSync(join(tmpdir(), TEMP_DIR_PREFIX));
      const lock = lockDataDir(dir);
      // In memory nothing survives the process anyway: no fsync.
      const store = new Store(openDatabase(':memory:'), new ObjectFiles(dir, false), dir, join(dir, 'checkpoints'));
      store.lock = lock;
      return store;
    }
    const dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
    const lock = lockDataDir(dataDir);
    try {
      const store = new Store(
        openDatabase(join(dataDir, 'emulator.sqlite')),
        new ObjectFiles(dataDir, true),
        undefined,
        join(dataDir, 'checkpoints'),
        new WalSync(join(dataDir, 'emulator.sqlite-wal')),
      );
      store.lock = lock;
      store.files.sweep((file) => store.isFileReferenced(file));
      return store;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Closes SQLite; in-memory mode also removes its temp directory (asynchronously: it may hold many segments). */
  async close(): Promise<void> {
    await this.wal?.close();
    this.db.close();
    this.lock?.release();
    this.lock = undefined;
    if (this.ownedTempDir) await rm(this.ownedTempDir, { recursive: true, force: true });
  }

  /** Runs fn in one SQLite transaction (read-modify-write without interleaving). */
  transaction<T>(fn: () => T): T {
    const outermost = !this.db.inTransaction;
    try {
      const result = this.db.transaction(fn)();
      if (outermost) this.flushChanges();
      return result;
    } catch (err) {
      if (outermost) this.pendingChanges = [];
      throw err;
    }
  }

  private objectChanged(change: ObjectChange): void {
    if (!this.onObjectChange) return;
    this.pendingChanges.push(change);
    if (!this.db.inTransaction) this.flushChanges();
  }

  private flushChanges(): void {
    const changes = this.pendingChanges;
    this.pendingChanges = [];
    for (const change of changes) this.onObjectChange?.(change);
  }

  /** Wipes every row and every stored byte. */
  /** Saves the whole state as a named checkpoint (replacing one of the same name). */
  saveCheckpoint(name: string, nowMs: number): CheckpointInfo {
    return this.checkpoints.save(name, nowMs);
  }

  /** Puts the whole state back as a checkpoint saved it (callers end live publishes first). */
  async restoreCheckpoint(name: string): Promise<void> {
    this.checkpoints.assertExists(name);
    await this.files.removalsSettled();
    this.forgetAllRows();
    try {
      this.checkpoints.restore(name, (file) => this.isFileReferenced(file));
    } finally {
      this.forgetAllRows();
    }
  }

  private forgetAllRows(): void {
    this.bucketRows.clear();
    this.objectRows.clear();
    this.channelRows.clear();
    this.blobBytes.clear();
    this.bucketConfigs.forgetAll();
  }

  private forgetObject(bucket: string, key: string): void {
    this.objectRows.delete(objectRowKey(bucket, key));
  }

  reset(): void {
    this.db.exec(`DELETE FROM segments; DELETE FROM publishes; DELETE FROM channels; DELETE FROM object_extents; DELETE FROM objects;
                  DELETE FROM upload_parts; DELETE FROM uploads; DELETE FROM buckets; DELETE FROM object_blobs;`);
    this.forgetAllRows();
    this.bucketConfigs.reset();
    this.files.wipe();
  }

  // ---- buckets

  getBucket(name: string): BucketRow | undefined {
    const cached = this.bucketRows.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const r = this.q.bucketGet.get(name) as SqlRow | undefined;
    const row = r && Object.freeze(toBucket(r));
    // Inside a transaction the row may not be committed yet: remember only what is.
    if (!this.db.inTransaction) remember(this.bucketRows, name, row ?? null);
    return row;
  }

  /** False when the bucket already exists. `configs`: documents written with it, in the same transaction. */
  createBucket(row: NewBucket, configs: Partial<Record<BucketConfigKind, string>> = {}): boolean {
    this.bucketRows.delete(row.name);
    return this.transaction(() => {
      const created = this.q.bucketInsert.run(
        row.name,
        row.acl,
        row.storageClass,
        row.createdMs,
        row.dataRedundancyType ?? 'LRS',
        row.comment ?? '',
      );
      if (created.changes !== 1) return false;
      for (const [kind, doc] of Object.entries(configs)) this.bucketConfigs.put(row.name, kind as BucketConfigKind, doc);
      return true;
    });
  }

  listBuckets(after = ''): BucketRow[] {
    return (this.q.bucketList.all(after) as SqlRow[]).map(toBucket);
  }

  bucketIsEmpty(name: string): boolean {
    return (
      this.q.bucketHasObject.get(name) === undefined &&
      this.q.bucketHasChannel.get(name) === undefined &&
      !this.uploads.bucketHasUploads(name)
    );
  }

  bucketStats(name: string): { objects: number; bytes: number; channels: number } {
    const o = this.q.objectCount.get(name) as { n: number; bytes: number };
    const c = this.q.channelCount.get(name) as { n: number };
    return { objects: o.n, bytes: o.bytes, channels: c.n };
  }

  /** Per storage class (`Standard`, `IA`, …) object count, bytes and billed bytes (64 KB minimum per object). */
  bucketStorageClassStats(name: string): Map<string, StorageClassStat> {
    const rows = this.q.objectClassStats.all(name) as Array<{ storage_class: string; n: number; bytes: number; billed: number }>;
    return new Map(rows.map((r) => [r.storage_class, { objects: r.n, bytes: r.bytes, billedBytes: r.billed }]));
  }

  deleteBucket(name: string): void {
    this.bucketRows.delete(name);
    this.transaction(() => {
      this.bucketConfigs.deleteBucket(name);
      this.q.bucketDelete.run(name);
    });
  }

  setBucketAcl(name: string, acl: BucketAcl): void {
    this.bucketRows.delete(name);
    this.q.bucketAcl.run(acl, name);
  }

  // ---- objects

  getObject(bucket: string, key: string): ObjectRow | undefined {
    const id = objectRowKey(bucket, key);
    const cached = this.objectRows.get(id);
    if (cached !== undefined) return cached ?? undefined;
    const r = this.q.objectGet.get(bucket, key) as SqlRow | undefined;
    const row = r && frozenObject(toObject(r));
    if (!this.db.inTransaction) remember(this.objectRows, id, row ?? null);
    return row;
  }

  /** Every file holding the object's bytes, in order. */
  extentsOf(row: ObjectRow): Extent[] {
    if (row.extents === 0) return [{ file: row.file, size: row.size }];
    return this.q.extentsOf.all(row.bucket, row.key) as Extent[];
  }

  /**
   * The object's bytes [start, end] (inclusive) as a stream. The first file is opened now, so a concurrent overwrite
   * (which unlinks the old files) cannot take a single-file object away from a reader that already has it.
   */
  openObject(row: ObjectRow, range?: ByteSpan): Readable {
    const span = range ?? { start: 0, end: row.size - 1 };
    if (isInline(row.file)) return Readable.from([this.inlineBytes(row.file).subarray(span.start, span.end + 1)], { objectMode: false });
    return openExtents(this.files, this.extentsOf(row), span);
  }

  /** An inline object's bytes (immutable under their id): from memory, else one SQLite read. */
  private inlineBytes(id: string): Buffer {
    const known = this.blobBytes.get(id);
    if (known) return known;
    const data = this.q.blobGet.get(id) as Buffer | undefined;
    if (!data) throw new Error(`inline object bytes ${id} are missing`);
    this.blobBytes.set(id, data);
    return data;
  }

  /**
   * The object's bytes [start, end] (inclusive) for a reply: a Buffer when the object is one small file kept in memory
   * (no file opened, no stream), else the stream openObject gives.
   */
  objectBody(row: ObjectRow, range?: ByteSpan): Buffer | Readable {
    const span = range ?? { start: 0, end: row.size - 1 };
    if (isInline(row.file)) return this.inlineBytes(row.file).subarray(span.start, span.end + 1);
    const bytes = row.extents === 0 && row.size > 0 ? this.files.bytes(row.file, row.size) : undefined;
    if (bytes && bytes.length === row.size) return bytes.subarray(span.start, span.end + 1);
    if (row.extents === 0 && span.end >= span.start) return this.files.openSpan(row.file, span.start, span.end);
    return this.openObject(row, span);
  }

  /**
   * Records a file already written durably under a key, without a transaction of its own (callers pairing it with
   * other rows run it inside theirs). Returns the replaced files, to remove once the caller's transaction committed.
   */
  recordObject(bucket: string, key: string, written: WrittenFile, meta: NewObject): { row: ObjectRow; replaced: string[] } {
    const bytes: ObjectBytes = { file: written.file, size: written.size, etag: etagOf(written.md5), crc64: written.crc64 };
    return this.recordObjectBytes(bucket, key, bytes, meta);
  }

  /** recordObject for bytes given as one or more files (multipart, append). */
  recordObjectBytes(bucket: string, key: string, bytes: ObjectBytes, meta: NewObject): { row: ObjectRow; replaced: string[] } {
    const extents = bytes.extents && bytes.extents.length > 1 ? bytes.extents : undefined;
    const row: ObjectRow = {
      bucket,
      key,
      file: bytes.file,
      size: bytes.size,
      etag: bytes.etag,
      contentType: meta.contentType,
      lastModifiedMs: meta.lastModifiedMs,
      acl: meta.acl ?? 'default',
      headers: meta.headers ?? {},
      objectType: meta.objectType ?? 'Normal',
      storageClass: meta.storageClass ?? 'Standard',
      crc64: bytes.crc64,
      extents: extents?.length ?? 0,
      restore: undefined,
      tags: meta.tags ?? [],
      symlinkTarget: meta.symlinkTarget,
    };
    const old = this.getObject(bucket, key);
    this.forgetObject(bucket, key);
    const oldFiles = old ? this.extentsOf(old).map((e) => e.file) : [];
    if (old && old.extents > 0) this.q.extentsDelete.run(bucket, key);
    this.q.objectUpsert.run({
      ...row,
      headers: JSON.stringify(row.headers),
      crc64: row.crc64 ?? null,
      tags: JSON.stringify(row.tags),
      symlinkTarget: row.symlinkTarget ?? null,
    });
    extents?.forEach((e, seq) => this.q.extentInsert.run(bucket, key, seq, e.file, e.size));
    this.objectChanged({ kind: 'written', row });
    const kept = new Set(extents ? extents.map((e) => e.file) : [bytes.file]);
    const replaced = oldFiles.filter((f) => !kept.has(f));
    // Inline bytes go with their row, in this transaction; files are removed once it committed.
    for (const id of replaced.filter(isInline)) this.dropBlob(id);
    return { row, replaced: replaced.filter((f) => !isInline(f)) };
  }

  private dropBlob(id: string): void {
    this.q.blobDelete.run(id);
    this.blobBytes.delete(id);
  }

  /**
   * Records a file already written durably; replaces (and then removes) the previous file under the key. `guard` is the
   * conditional part of the commit: it sees the current row in the same transaction and may throw to refuse
   * (x-oss-forbid-overwrite: exactly one of many concurrent creates wins).
   */
  commitObject(bucket: string, key: string, written: WrittenFile, meta: NewObject, guard?: CommitGuard): ObjectRow {
    const { row, replaced } = this.transaction(() => {
      guard?.(this.getObject(bucket, key));
      return this.recordObject(bucket, key, written, meta);
    });
    this.removeFiles(replaced);
    return row;
  }

  /**
   * A copy of an object's bytes under another key (the files cloned, not read), its ETag and CRC64 kept. `guard` runs
   * in the commit transaction and may throw to refuse (x-oss-forbid-overwrite). Undefined when the source changed or
   * vanished while its files were being cloned.
   */
  async copyObject(source: ObjectRow, bucket: string, key: string, meta: NewObject, guard?: CommitGuard): Promise<ObjectRow | undefined> {
    if (isInline(source.file)) return this.copyInline(source, bucket, key, meta, guard);
    const extents = this.extentsOf(source);
    const clones: Extent[] = [];
    try {
      for (const e of extents) clones.push({ file: await this.files.clone(e.file), size: e.size });
    } catch (err) {
      this.removeFiles(clones.map((c) => c.file));
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    let outcome: { row: ObjectRow; replaced: string[] } | undefined;
    try {
      outcome = this.transaction(() => {
        const now = this.getObject(source.bucket, source.key);
        if (!now || now.file !== source.file || now.etag !== source.etag) return undefined;
        guard?.(this.getObject(bucket, key));
        const bytes: ObjectBytes = { file: clones[0]!.file, size: source.size, etag: source.etag, crc64: source.crc64, extents: clones };
        return this.recordObjectBytes(bucket, key, bytes, meta);
      });
    } catch (err) {
      this.removeFiles(clones.map((c) => c.file));
      throw err;
    }
    if (!outcome) {
      this.removeFiles(clones.map((c) => c.file));
      return undefined;
    }
    this.removeFiles(outcome.replaced);
    return outcome.row;
  }

  /** copyObject of an inline object: its bytes copied under a new id in the commit transaction. */
  private copyInline(source: ObjectRow, bucket: string, key: string, meta: NewObject, guard?: CommitGuard): ObjectRow | undefined {
    const outcome = this.transaction(() => {
      const now = this.getObject(source.bucket, source.key);
      if (!now || now.file !== source.file || now.etag !== source.etag) return undefined;
      guard?.(this.getObject(bucket, key));
      const id = newBlobId();
      this.q.blobInsert.run(id, this.inlineBytes(source.file));
      return this.recordObjectBytes(bucket, key, { file: id, size: source.size, etag: source.etag, crc64: source.crc64 }, meta);
    });
    if (!outcome) return undefined;
    this.removeFiles(outcome.replaced);
    return outcome.row;
  }

  /** Rewrites an object's metadata in place (CopyObject onto itself with REPLACE); its bytes, ETag and CRC64 stay. */
  updateObjectMeta(bucket: string, key: string, meta: NewObject): ObjectRow | undefined {
    this.forgetObject(bucket, key);
    this.q.objectMeta.run({
      bucket,
      key,
      contentType: meta.contentType,
      acl: meta.acl ?? 'default',
      headers: JSON.stringify(meta.headers ?? {}),
      storageClass: meta.storageClass ?? 'Standard',
      lastModifiedMs: meta.lastModifiedMs,
    });
    const row = this.getObject(bucket, key);
    if (row) this.objectChanged({ kind: 'written', row });
    return row;
  }

  /** Removes files no committed row refers to any more (after the transaction that dropped them). */
  removeFiles(files: readonly string[]): void {
    for (const file of files) if (file !== '' && !isInline(file)) this.files.remove(file);
  }

  /**
   * Appends a file already written durably to an object at `position` (one more extent, no byte copied), or creates
   * the object when there is none and position is 0. Refused, and the file removed, when the object is not
   * appendable or its size is no longer `position` (a concurrent append won). An existing object keeps its metadata;
   * `meta.acl`, when set, replaces its ACL.
   */
  appendObject(
    bucket: string,
    key: string,
    position: number,
    written: WrittenFile,
    bytesOf: (old: ObjectRow | undefined) => { etag: string; crc64: string | undefined },
    meta: NewObject,
  ): { row: ObjectRow } | { refused: 'not-appendable' | 'position'; size: number } {
    const outcome = this.transaction(() => {
      const old = this.getObject(bucket, key);
      if (old && old.objectType !== 'Appendable') return { refused: 'not-appendable' as const, size: old.size };
      if ((old?.size ?? 0) !== position) return { refused: 'position' as const, size: old?.size ?? 0 };
      if (old && old.size > 0 && written.size > 0) {
        // The common case, one more file at the end: only the new extent row is written (O(1) per append).
        const { etag, crc64 } = bytesOf(old);
        if (old.extents === 0) this.q.extentInsert.run(bucket, key, 0, old.file, old.size);
        const seq = Math.max(old.extents, 1);
        this.forgetObject(bucket, key);
        this.q.extentInsert.run(bucket, key, seq, written.file, written.size);
        this.q.objectAppended.run({
          bucket,
          key,
          size: position + written.size,
          etag,
          crc64: crc64 ?? null,
          extents: seq + 1,
          lastModifiedMs: meta.lastModifiedMs,
        });
        if (meta.acl !== undefined) this.q.objectAcl.run(meta.acl, bucket, key);
        const row = this.getObject(bucket, key)!;
        this.objectChanged({ kind: 'written', row });
        return { row, drop: [] as string[] };
      }
      const previous = old ? this.extentsOf(old).filter((e) => e.size > 0) : [];
      const extents = written.size > 0 || previous.length === 0 ? [...previous, { file: written.file, size: written.size }] : previous;
      const { etag, crc64 } = bytesOf(old);
      const objectMeta = old
        ? {
            ...meta,
            contentType: old.contentType,
            acl: meta.acl ?? old.acl,
            headers: old.headers,
            storageClass: old.storageClass,
            tags: old.tags,
          }
        : meta;
      const recorded = this.recordObjectBytes(
        bucket,
        key,
        { file: extents[0]!.file, size: position + written.size, etag, crc64, extents },
        { ...objectMeta, objectType: 'Appendable' },
      );
      const kept = new Set(extents.map((e) => e.file));
      return { row: recorded.row, drop: [...recorded.replaced, ...(kept.has(written.file) ? [] : [written.file])] };
    });
    if ('refused' in outcome) {
      this.files.remove(written.file);
      return outcome;
    }
    this.removeFiles(outcome.drop);
    return { row: outcome.row };
  }

  setObjectRestore(bucket: string, key: string, restore: RestoreState | undefined): void {
    this.forgetObject(bucket, key);
    this.q.objectRestore.run(restore ? JSON.stringify(restore) : null, bucket, key);
  }

  putObjectBytes(bucket: string, key: string, chunks: readonly Buffer[], meta: NewObject): ObjectRow {
    return this.commitObject(bucket, key, this.files.writeBuffers(chunks), meta);
  }

  /** putObjectBytes with the write off the event loop (live playlists: many channels write at once). */
  async putObjectBytesAsync(bucket: string, key: string, chunks: readonly Buffer[], meta: NewObject, md5?: Buffer): Promise<ObjectRow> {
    const written = await this.files.writeBuffersAsync(chunks, md5 ?? md5Of(chunks));
    return this.commitObject(bucket, key, written, meta);
  }

  /**
   * Streams a body to a new durable file no row refers to yet (an upload part, an append): the caller records it
   * (uploads.recordPart, appendObject, commitObject) or drops it (removeFiles). `maxBytes` bounds the body.
   */
  stageStream(body: Readable, maxBytes: number, onTooLarge: () => Error): Promise<WrittenFile> {
    return this.files.writeStream(body, maxBytes, onTooLarge);
  }

  /** A live segment's file, written as its bytes come; commitSegment makes it durable and records it (or abort() drops it). */
  openLiveSegment(): LiveSegmentFile {
    return this.files.openLiveFile();
  }

  /**
   * One live segment and the playlist that now lists it, committed the one way that keeps a crash harmless: the ts
   * file durable (it was written as the segment grew: openLiveSegment), then ONE transaction records the ts object,
   * its segment row and the playlist object; a replaced ts file is removed after it. A crash before the transaction
   * leaves a file no row refers to, which the next start sweeps away; a player never sees a playlist naming a segment
   * that is not stored. The live playlist is kept inline in SQLite (a few hundred bytes: no file to open, write,
   * close and unlink per segment, and GETs of it are answered from memory), committed in the same transaction and
   * not synced on its own: its text is derived from the segment rows, and the start after a crash (power loss
   * included) rewrites the playlist of every publish left open from those rows (Ingest.recover). Commits of many
   * channels that become ready together share one transaction.
   */
  async commitSegment(
    segment: NewSegment,
    playlist: { key: string; text: string; contentType: string },
    lastModifiedMs: number,
  ): Promise<void> {
    const { file, md5, contentType, ...row } = segment;
    if (!(file instanceof LiveFile)) throw new TypeError('commitSegment: the file must come from openLiveSegment()');
    const ts: WrittenFile = { ...(await file.finish()), md5 }; // on failure the file is already removed
    const text = Buffer.from(playlist.text);
    const list: ObjectBytes = { file: newBlobId(), size: text.length, etag: etagOf(md5Of([text])), crc64: undefined };
    try {
      await this.segmentCommits.add(() => {
        const recorded = this.recordObject(row.bucket, row.key, ts, { contentType, lastModifiedMs });
        this.addSegment(row);
        this.q.blobInsert.run(list.file, text);
        const listed = this.recordObjectBytes(row.bucket, playlist.key, list, { contentType: playlist.contentType, lastModifiedMs });
        return [...recorded.replaced, ...listed.replaced];
      });
    } catch (err) {
      this.files.remove(ts.file);
      throw err;
    }
    this.blobBytes.set(list.file, text);
  }

  /** `verify` may refuse the bytes (e.g. a Content-MD5 mismatch) before anything is committed. */
  async putObjectStream(
    bucket: string,
    key: string,
    body: Readable,
    maxBytes: number,
    onTooLarge: () => Error,
    meta: NewObject,
    verify?: (md5: Buffer) => Error | undefined,
    guard?: CommitGuard,
  ): Promise<ObjectRow> {
    // A small body (the whole of it arrived within INLINE_MAX_BYTES) is kept in SQLite and group-committed.
    const head = await readAtMost(body, INLINE_MAX_BYTES);
    if (head.ended) {
      const data = Buffer.concat(head.chunks);
      if (data.length > maxBytes) throw onTooLarge();
      const md5 = createHash('md5').update(data).digest();
      const refused = verify?.(md5);
      if (refused) throw refused;
      const crc = new Crc64();
      crc.update(data);
      return this.commitInline({ bucket, key, data, etag: etagOf(md5), crc64: crc.digest(), meta, guard });
    }
    const written = await this.files.writeStream(Readable.from(continued(head.chunks, head.rest)), maxBytes, onTooLarge);
    let row: ObjectRow;
    try {
      const refused = verify?.(written.md5);
      if (refused) throw refused;
      row = this.commitObject(bucket, key, written, meta, guard);
    } catch (err) {
      this.files.remove(written.file);
      throw err;
    }
    // The file was fsync'd before its row committed; the row is on the disk once the WAL is.
    await this.wal?.sync();
    return row;
  }

  /**
   * Group commit: every small PutObject that arrives while the event loop is busy joins one transaction, then (on
   * disk) one WAL fsync; none of them is answered before that fsync is done. Each keeps its own guard: a refused one
   * (x-oss-forbid-overwrite) rolls back alone (a savepoint) and the others still commit.
   */
  private commitInline(write: Omit<PendingInline, 'settle'>): Promise<ObjectRow> {
    return new Promise<ObjectRow>((resolve, reject) => {
      this.inlineQueue.push({ ...write, settle: (outcome) => ('row' in outcome ? resolve(outcome.row) : reject(outcome.error)) });
      if (this.inlineQueue.length === 1) setImmediate(() => void this.flushInline());
    });
  }

  private async flushInline(): Promise<void> {
    const batch = this.inlineQueue;
    this.inlineQueue = [];
    const outcomes: Array<{ row: ObjectRow } | { error: unknown }> = [];
    const replaced: string[] = [];
    try {
      this.transaction(() => {
        for (const w of batch) {
          try {
            const recorded = this.db.transaction(() => {
              w.guard?.(this.getObject(w.bucket, w.key));
              const id = newBlobId();
              this.q.blobInsert.run(id, w.data);
              return this.recordObjectBytes(w.bucket, w.key, { file: id, size: w.data.length, etag: w.etag, crc64: w.crc64 }, w.meta);
            })();
            this.blobBytes.set(recorded.row.file, w.data);
            replaced.push(...recorded.replaced);
            outcomes.push({ row: recorded.row });
          } catch (error) {
            outcomes.push({ error });
          }
        }
      });
    } catch (error) {
      for (const w of batch) w.settle({ error });
      return;
    }
    this.removeFiles(replaced);
    try {
      await this.wal?.sync();
    } catch (error) {
      for (const w of batch) w.settle({ error });
      return;
    }
    batch.forEach((w, i) => w.settle(outcomes[i]!));
  }

  deleteObject(bucket: string, key: string): boolean {
    const files = this.transaction(() => {
      const row = this.getObject(bucket, key);
      if (!row) return undefined;
      const all = this.extentsOf(row).map((e) => e.file);
      for (const id of all.filter(isInline)) this.dropBlob(id);
      this.forgetObject(bucket, key);
      if (row.extents > 0) this.q.extentsDelete.run(bucket, key);
      this.q.objectDelete.run(bucket, key);
      this.objectChanged({ kind: 'deleted', bucket, key });
      return all;
    });
    if (files) this.removeFiles(files);
    return files !== undefined;
  }

  setObjectAcl(bucket: string, key: string, acl: ObjectAcl): void {
    this.forgetObject(bucket, key);
    this.q.objectAcl.run(acl, bucket, key);
  }

  /** False when there is no such object. */
  setObjectTags(bucket: string, key: string, tags: ObjectTags): boolean {
    this.forgetObject(bucket, key);
    return this.q.objectTags.run(JSON.stringify(tags), bucket, key).changes === 1;
  }

  /** Objects under `prefix` last modified before `beforeMs`, keys after `after`, at most `limit` (lifecycle expiry). */
  objectsModifiedBefore(bucket: string, prefix: string, beforeMs: number, after: string, limit: number): ObjectRow[] {
    const out: ObjectRow[] = [];
    for (const raw of this.q.objectsBefore.iterate(bucket, prefix, after, beforeMs, limit) as IterableIterator<SqlRow>) {
      if (!(raw.key as string).startsWith(prefix)) break;
      out.push(toObject(raw));
    }
    return out;
  }

  /** Lexicographic (UTF-8 byte order) listing with prefix, delimiter and marker, like ListObjects (see listing-pages.ts). */
  listObjects(query: ListObjectsQuery): ListObjectsPage {
    const page = pageListing(query, (after, from) => this.scanObjects(query.bucket, after, from));
    return { objects: page.items, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated, nextMarker: page.nextMarker };
  }

  private *scanObjects(bucket: string, after: string, from: string): Generator<{ key: string; item: ObjectRow }> {
    for (const raw of this.q.objectScan.iterate(bucket, after, from) as IterableIterator<SqlRow>)
      yield { key: raw.key as string, item: toObject(raw) };
  }

  /** True when an object, an object extent or an upload part holds this file. */
  isFileReferenced(file: string): boolean {
    return this.q.objectFileKnown.get({ f: file }) !== undefined;
  }

  // ---- live channels

  getChannel(bucket: string, name: string): ChannelRow | undefined {
    const id = objectRowKey(bucket, name);
    const cached = this.channelRows.get(id);
    if (cached !== undefined) return cached ?? undefined;
    const r = this.q.channelGet.get(bucket, name) as SqlRow | undefined;
    const row = r && toChannel(r);
    if (row?.snapshot) Object.freeze(row.snapshot);
    if (row) Object.freeze(row);
    if (!this.db.inTransaction) remember(this.channelRows, id, row ?? null);
    return row;
  }

  putChannel(row: ChannelRow): void {
    this.channelRows.delete(objectRowKey(row.bucket, row.name));
    this.q.channelUpsert.run({ ...row, snapshot: row.snapshot ? JSON.stringify(row.snapshot) : null });
  }

  setChannelStatus(bucket: string, name: string, status: ChannelRow['status'], nowMs: number): boolean {
    this.channelRows.delete(objectRowKey(bucket, name));
    return this.q.channelStatus.run(status, nowMs, bucket, name).changes === 1;
  }

  deleteChannel(bucket: string, name: string): boolean {
    this.channelRows.delete(objectRowKey(bucket, name));
    return this.q.channelDelete.run(bucket, name).changes === 1;
  }

  /** Channels of a bucket after `after`, starting with `prefix`, at most `limit + 1` (to tell truncation). */
  listChannels(bucket: string, prefix: string, after: string, limit: number): ChannelRow[] {
    const out: ChannelRow[] = [];
    for (const raw of this.q.channelScan.iterate(bucket, after, prefix) as IterableIterator<SqlRow>) {
      if (!(raw.name as string).startsWith(prefix) || out.length > limit) break;
      out.push(toChannel(raw));
    }
    return out;
  }

  allChannels(): ChannelRow[] {
    return (this.q.channelAll.all() as SqlRow[]).map(toChannel);
  }

  // ---- publishes (history) and segments

  openPublish(bucket: string, channel: string, startMs: number, remoteAddr: string, playlistName: string): number {
    return Number(this.q.publishInsert.run(bucket, channel, startMs, remoteAddr, playlistName).lastInsertRowid);
  }

  closePublish(id: number, endMs: number): void {
    this.q.publishClose.run(endMs, id);
  }

  openPublishes(): PublishRow[] {
    return (this.q.publishOpen.all() as SqlRow[]).map(toPublish);
  }

  /** The most recent finished publishes, newest first. */
  recentPublishes(bucket: string, channel: string, limit: number): PublishRow[] {
    return (this.q.publishRecent.all(bucket, channel, limit) as SqlRow[]).map(toPublish);
  }

  addSegment(seg: Omit<SegmentRow, 'id'>): number {
    return Number(
      this.q.segmentInsert.run(seg.publishId, seg.bucket, seg.channel, seg.key, seg.sequence, seg.startMs, seg.durationMs).lastInsertRowid,
    );
  }

  segmentsInSpan(bucket: string, channel: string, fromMs: number, toMs: number): SegmentRow[] {
    return (this.q.segmentsInSpan.all(bucket, channel, fromMs, toMs) as SqlRow[]).map(toSegment);
  }

  segmentsOfPublish(publishId: number): SegmentRow[] {
    return (this.q.segmentsOfPublish.all(publishId) as SqlRow[]).map(toSegment);
  }

  /** Where the channel's recorded media ends (ms), or 0 when it has none. */
  channelSegmentsEnd(bucket: string, channel: string): number {
    return (this.q.segmentsEnd.get(bucket, channel) as { end_ms: number | null }).end_ms ?? 0;
  }

  allSegments(): SegmentRow[] {
    return (this.q.segmentAll.all() as SqlRow[]).map(toSegment);
  }
}

/** Rows kept per store: enough for every object a test suite or a set of live channels polls; forgotten wholesale beyond. */
const MAX_REMEMBERED_ROWS = 10_000;

const objectRowKey = (bucket: string, key: string): string => `${bucket}/${key}`;

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  if (cache.size >= MAX_REMEMBERED_ROWS) cache.clear();
  cache.set(key, value);
}

/** A remembered row is shared by every reader: frozen, so no caller can change it for the others. */
function frozenObject(row: ObjectRow): ObjectRow {
  Object.freeze(row.headers);
  for (const tag of row.tags) Object.freeze(tag);
  Object.freeze(row.tags);
  if (row.restore) Object.freeze(row.restore);
  return Object.freeze(row);
}

/** PutObject bodies up to this size are kept in SQLite (object_blobs) instead of a file of their own. */
export const INLINE_MAX_BYTES = 64 * 1024;

/** Inline objects' `file` is `inline/<32 hex>`: never a file id (ObjectFiles.path refuses it), swept with its row. */
const INLINE_PREFIX = 'inline/';
const isInline = (file: string): boolean => file.startsWith(INLINE_PREFIX);
const newBlobId = (): string => INLINE_PREFIX + randomBytes(16).toString('hex');

interface PendingInline {
  bucket: string;
  key: string;
  data: Buffer;
  etag: string;
  crc64: string;
  meta: NewObject;
  guard: CommitGuard | undefined;
  settle(outcome: { row: ObjectRow } | { error: unknown }): void;
}

/** Reads a stream until it ends or more than `limit` bytes came; `rest` continues it. */
async function readAtMost(body: Readable, limit: number): Promise<{ chunks: Buffer[]; ended: boolean; rest: AsyncIterator<Buffer> }> {
  const rest = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let size = 0;
  while (size <= limit) {
    const next = await rest.next();
    if (next.done) return { chunks, ended: true, rest };
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    chunks.push(chunk);
    size += chunk.length;
  }
  return { chunks, ended: false, rest };
}

async function* continued(head: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}
