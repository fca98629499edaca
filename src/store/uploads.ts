import { randomBytes } from 'node:crypto';
import type { Db } from './database.js';
import type { Readable } from 'node:stream';
import type { ObjectFiles, WrittenFile } from './object-files.js';
import { openExtents } from './object-reader.js';
import type { Extent, ObjectRow, PartRow, UploadMeta, UploadRow } from './rows.js';
import { rowReader, type SqlRow } from './row-reader.js';
import type { CommitGuard, NewObject, ObjectBytes, Store } from './store.js';

export interface ListUploadsQuery {
  bucket: string;
  prefix: string;
  delimiter: string;
  /** Uploads of keys after this one (or of this key with an upload id after `uploadIdMarker`). */
  keyMarker: string;
  uploadIdMarker: string;
  maxUploads: number;
}

export interface ListUploadsPage {
  uploads: UploadRow[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker: string;
  nextUploadIdMarker: string;
}

const toUpload = rowReader<UploadRow>({ uploadId: 'value', bucket: 'value', key: 'value', initiatedMs: 'value', meta: 'json' });

const toPart = rowReader<PartRow>({
  uploadId: 'value',
  partNumber: 'value',
  file: 'value',
  size: 'value',
  etag: 'value',
  crc64: 'nullable',
  lastModifiedMs: 'value',
});

/**
 * Multipart uploads: an upload row, one row per part, each part one durable file. Completing an upload moves the
 * chosen part files into the object (as its extents) in one transaction: no byte is copied, and a crash leaves either
 * the old object or the new one. Part files that no row keeps are removed after the transaction that dropped them.
 */
export class Uploads {
  private readonly q;

  constructor(
    db: Db,
    private readonly files: ObjectFiles,
    private readonly store: Pick<Store, 'transaction' | 'recordObjectBytes' | 'getObject'>,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.q = {
      insert: p('INSERT INTO uploads (upload_id, bucket, key, initiated_ms, meta) VALUES (?, ?, ?, ?, ?)'),
      get: p('SELECT * FROM uploads WHERE upload_id = ?'),
      delete: p('DELETE FROM uploads WHERE upload_id = ?'),
      scan: p(`SELECT * FROM uploads WHERE bucket = @bucket AND key >= @prefix
                 AND (key > @keyMarker OR (key = @keyMarker AND @uploadIdMarker <> '' AND upload_id > @uploadIdMarker))
               ORDER BY key, upload_id`),
      inBucket: p('SELECT 1 FROM uploads WHERE bucket = ? LIMIT 1'),
      countInBucket: p('SELECT count(*) AS n FROM uploads WHERE bucket = ?'),
      partGet: p('SELECT * FROM upload_parts WHERE upload_id = ? AND part_number = ?'),
      partUpsert: p(`INSERT INTO upload_parts (upload_id, part_number, file, size, etag, crc64, last_modified_ms)
                     VALUES (@uploadId, @partNumber, @file, @size, @etag, @crc64, @lastModifiedMs)
                     ON CONFLICT (upload_id, part_number) DO UPDATE SET file = excluded.file, size = excluded.size,
                       etag = excluded.etag, crc64 = excluded.crc64, last_modified_ms = excluded.last_modified_ms`),
      partsAfter: p('SELECT * FROM upload_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?'),
      partsAll: p('SELECT * FROM upload_parts WHERE upload_id = ? ORDER BY part_number'),
      partsDelete: p('DELETE FROM upload_parts WHERE upload_id = ?'),
    };
  }

  /**
   * Upload ids: 32 upper-case hex digits like OSS's, starting with the time so that ids of one key sort in the order
   * the uploads were initiated (listings order by key, then upload id).
   */
  initiate(bucket: string, key: string, meta: UploadMeta, nowMs: number): UploadRow {
    const uploadId = (nowMs.toString(16).padStart(12, '0') + randomBytes(10).toString('hex')).toUpperCase();
    this.q.insert.run(uploadId, bucket, key, nowMs, JSON.stringify(meta));
    return { uploadId, bucket, key, initiatedMs: nowMs, meta };
  }

  get(uploadId: string): UploadRow | undefined {
    const r = this.q.get.get(uploadId) as SqlRow | undefined;
    return r && toUpload(r);
  }

  bucketHasUploads(bucket: string): boolean {
    return this.q.inBucket.get(bucket) !== undefined;
  }

  countInBucket(bucket: string): number {
    return (this.q.countInBucket.get(bucket) as { n: number }).n;
  }

  /** ListMultipartUploads: by key then upload id, with prefix, delimiter (common prefixes count once) and markers. */
  list(query: ListUploadsQuery): ListUploadsPage {
    const uploads: UploadRow[] = [];
    const commonPrefixes: string[] = [];
    let isTruncated = false;
    let nextKeyMarker = '';
    let nextUploadIdMarker = '';
    let lastPrefix: string | undefined;
    // A marker that is itself a common prefix (from the previous page) skips every key under it.
    if (query.delimiter && query.keyMarker.endsWith(query.delimiter) && query.keyMarker.startsWith(query.prefix))
      lastPrefix = query.keyMarker;
    const rows = this.q.scan.iterate({
      bucket: query.bucket,
      prefix: query.prefix,
      keyMarker: query.keyMarker,
      uploadIdMarker: query.uploadIdMarker,
    }) as IterableIterator<SqlRow>;
    for (const raw of rows) {
      const key = raw.key as string;
      if (!key.startsWith(query.prefix)) break;
      if (lastPrefix !== undefined && key.startsWith(lastPrefix)) continue;
      let commonPrefix: string | undefined;
      if (query.delimiter) {
        const at = key.indexOf(query.delimiter, query.prefix.length);
        if (at !== -1) commonPrefix = key.slice(0, at + query.delimiter.length);
      }
      if (uploads.length + commonPrefixes.length >= query.maxUploads) {
        isTruncated = true;
        break;
      }
      if (commonPrefix !== undefined) {
        commonPrefixes.push(commonPrefix);
        lastPrefix = commonPrefix;
        nextKeyMarker = commonPrefix;
        nextUploadIdMarker = '';
      } else {
        const upload = toUpload(raw);
        uploads.push(upload);
        nextKeyMarker = upload.key;
        nextUploadIdMarker = upload.uploadId;
      }
    }
    return { uploads, commonPrefixes, isTruncated, nextKeyMarker, nextUploadIdMarker };
  }

  getPart(uploadId: string, partNumber: number): PartRow | undefined {
    const r = this.q.partGet.get(uploadId, partNumber) as SqlRow | undefined;
    return r && toPart(r);
  }

  /** Parts after `afterPartNumber`, at most `limit`. */
  listParts(uploadId: string, afterPartNumber: number, limit: number): PartRow[] {
    return (this.q.partsAfter.all(uploadId, afterPartNumber, limit) as SqlRow[]).map(toPart);
  }

  allParts(uploadId: string): PartRow[] {
    return (this.q.partsAll.all(uploadId) as SqlRow[]).map(toPart);
  }

  /**
   * Records a part file already written durably (replacing an earlier part of the same number). Undefined when the
   * upload is gone by now (aborted or completed meanwhile): the file is removed and nothing is recorded.
   */
  recordPart(uploadId: string, partNumber: number, written: WrittenFile, etag: string, nowMs: number): PartRow | undefined {
    const part: PartRow = {
      uploadId,
      partNumber,
      file: written.file,
      size: written.size,
      etag,
      crc64: written.crc64,
      lastModifiedMs: nowMs,
    };
    const outcome = this.store.transaction(() => {
      if (!this.get(uploadId)) return { part: undefined, drop: written.file };
      const old = this.getPart(uploadId, partNumber);
      this.q.partUpsert.run({ ...part, crc64: part.crc64 ?? null });
      return { part, drop: old?.file };
    });
    if (outcome.drop) this.files.remove(outcome.drop);
    return outcome.part;
  }

  /** Drops the upload and every part; false when there was no such upload. */
  abort(uploadId: string): boolean {
    const files = this.store.transaction(() => {
      if (!this.get(uploadId)) return undefined;
      const parts = this.allParts(uploadId).map((p) => p.file);
      this.q.partsDelete.run(uploadId);
      this.q.delete.run(uploadId);
      return parts;
    });
    for (const file of files ?? []) this.files.remove(file);
    return files !== undefined;
  }

  /** The bytes of these parts, one after the other (what completing the upload with them makes). */
  openParts(parts: readonly PartRow[]): Readable {
    const size = parts.reduce((n, p) => n + p.size, 0);
    return openExtents(
      this.files,
      parts.map((p) => ({ file: p.file, size: p.size })),
      { start: 0, end: size - 1 },
    );
  }

  /**
   * Makes the object out of the chosen parts, in the given order, in one transaction: the object row (extents = the
   * part files), the upload and its part rows dropped. `guard` runs inside the transaction (e.g. forbid-overwrite)
   * and may throw to refuse. Undefined when the upload is gone by now. Unchosen parts and replaced files are removed.
   */
  complete(
    upload: UploadRow,
    chosen: readonly PartRow[],
    bytes: { etag: string; crc64: string | undefined },
    meta: NewObject,
    guard?: CommitGuard,
  ): ObjectRow | undefined {
    const outcome = this.store.transaction(() => {
      if (!this.get(upload.uploadId)) return undefined;
      guard?.(this.store.getObject(upload.bucket, upload.key));
      const all = this.allParts(upload.uploadId);
      const kept = new Set(chosen.map((p) => p.file));
      this.q.partsDelete.run(upload.uploadId);
      this.q.delete.run(upload.uploadId);
      const extents: Extent[] = chosen.map((p) => ({ file: p.file, size: p.size }));
      const size = extents.reduce((n, e) => n + e.size, 0);
      const first = extents.find((e) => e.size > 0) ?? extents[0]!;
      const objectBytes: ObjectBytes = { file: first.file, size, etag: bytes.etag, crc64: bytes.crc64, extents };
      const { row, replaced } = this.store.recordObjectBytes(upload.bucket, upload.key, objectBytes, meta);
      return { row, drop: [...replaced, ...all.filter((p) => !kept.has(p.file)).map((p) => p.file)] };
    });
    if (!outcome) return undefined;
    for (const file of outcome.drop) this.files.remove(file);
    return outcome.row;
  }
}
