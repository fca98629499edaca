import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { responseHeaderValue } from '../objects/response-header-value.js';
import type { IncomingHttpHeaders } from 'node:http';
import { queryValue } from '../wire/request-target.js';
import type { ObjectRow } from '../../store/rows.js';
import { ossErrors } from '../wire/errors.js';
import { httpDate } from '../wire/formats.js';
import { requireBucket, type Operation, type OperationContext, type OssReply } from '../operation.js';
import { objectHeaders } from './object-metadata.js';
import { isArchived } from '../objects/storage-class.js';
import { restoreHeader, restoreStatus } from '../objects/restore-state.js';

/** A satisfiable byte range, inclusive; undefined = the whole object. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * `Range: bytes=a-b | a- | -n`. Like OSS: a malformed or multi-part range is ignored (whole object, 200);
 * a range starting past the end is 416 InvalidRange.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw ossErrors.invalidRange();
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Number(m[2]);
  if (start >= size) throw ossErrors.invalidRange();
  if (end < start) return undefined;
  return { start, end: Math.min(end, size - 1) };
}

const dateOf = (raw: string | undefined): number | undefined => {
  if (!raw) return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
};

/** ETags compare without their quotes: oss2's resumable download sends them bare, browsers and ali-oss quoted. */
const unquoted = (tag: string): string => tag.trim().replace(/^"(.*)"$/, '$1');
const etagMatches = (list: string, etag: string) => list.split(',').some((t) => t.trim() === '*' || unquoted(t) === unquoted(etag));

/** If-Match / If-None-Match / If-(Un)Modified-Since; returns 304 when the client's copy is current. */
function checkConditions(headers: IncomingHttpHeaders, row: ObjectRow): OssReply | undefined {
  const modifiedSec = Math.floor(row.lastModifiedMs / 1000) * 1000;
  const ifMatch = headers['if-match'] as string | undefined;
  if (ifMatch !== undefined && !etagMatches(ifMatch, row.etag)) throw ossErrors.preconditionFailed('If-Match');
  const unmodified = dateOf(headers['if-unmodified-since'] as string | undefined);
  if (unmodified !== undefined && modifiedSec > unmodified) throw ossErrors.preconditionFailed('If-Unmodified-Since');
  const ifNoneMatch = headers['if-none-match'] as string | undefined;
  const modifiedSince = dateOf(headers['if-modified-since'] as string | undefined);
  const notModified =
    ifNoneMatch !== undefined ? etagMatches(ifNoneMatch, row.etag) : modifiedSince !== undefined && modifiedSec <= modifiedSince;
  if (notModified) return { status: 304, headers: { etag: row.etag, 'last-modified': httpDate(row.lastModifiedMs) } };
  return undefined;
}

const OVERRIDES = ['content-type', 'content-language', 'expires', 'cache-control', 'content-disposition', 'content-encoding'];

export function existingObject(ctx: OperationContext): ObjectRow {
  const bucket = requireBucket(ctx);
  const row = ctx.services.store.getObject(bucket.name, ctx.key);
  if (!row) throw ossErrors.noSuchKey(ctx.key);
  return row;
}

/**
 * The object a symlink points to, as OSS reads through one: NoSuchKey/SymlinkTargetNotExist when it is missing,
 * InvalidTargetType when it is itself a symlink.
 */
export function symlinkTarget(ctx: OperationContext, link: ObjectRow): ObjectRow {
  const target = ctx.services.store.getObject(link.bucket, link.symlinkTarget ?? '');
  if (!target) throw ossErrors.symlinkTargetNotExist(link.symlinkTarget ?? '');
  if (target.objectType === 'Symlink') throw ossErrors.invalidTargetType();
  return target;
}

/**
 * GetObject and HeadObject: the same headers, HEAD without the bytes. Through a symlink: the target's bytes, length
 * and ETag with the symlink's own metadata, type (`Symlink`) and tags, as OSS answers.
 */
export const getObject: Operation = (ctx) => {
  const found = existingObject(ctx);
  const link = found.objectType === 'Symlink' ? found : undefined;
  const row = link ? symlinkTarget(ctx, link) : found;
  const now = ctx.services.clock.now();
  // An archived object is readable only once restored (HEAD still answers, with x-oss-restore).
  if (ctx.method === 'GET' && isArchived(row.storageClass) && restoreStatus(row, now) !== 'restored') throw ossErrors.invalidObjectState();
  const notModified = checkConditions(ctx.headers, row);
  if (notModified) return notModified;
  const headers = objectHeaders(row);
  if (link) {
    for (const name of Object.keys(headers)) if (name.startsWith('x-oss-meta-')) delete headers[name];
    Object.assign(headers, link.headers, { 'content-type': link.contentType, 'x-oss-object-type': 'Symlink' });
  }
  const tagCount = (link ?? row).tags.length;
  if (tagCount > 0) headers['x-oss-tagging-count'] = tagCount;
  const restore = isArchived(row.storageClass) ? restoreHeader(row, now) : undefined;
  if (restore) headers['x-oss-restore'] = restore;
  for (const name of OVERRIDES) {
    const value = queryValue(ctx.query, `response-${name}`);
    if (value !== undefined) headers[name] = responseHeaderValue(name, value);
  }
  const range = parseRange(ctx.headers.range, row.size);
  const start = range?.start ?? 0;
  const end = range?.end ?? row.size - 1;
  headers['content-length'] = row.size === 0 ? 0 : end - start + 1;
  if (range) headers['content-range'] = `bytes ${start}-${end}/${row.size}`;
  // The CRC64 and the MD5 describe the whole object: a range reply carries neither (oss2 checks the CRC on whole reads).
  if (range) {
    delete headers['x-oss-hash-crc64ecma'];
    delete headers['content-md5'];
  }
  const status = range ? 206 : 200;
  if (ctx.method === 'HEAD' || row.size === 0) return { status, headers, body: ctx.method === 'HEAD' ? undefined : Buffer.alloc(0) };
  // Opened now: a concurrent overwrite unlinks the old file, and an open descriptor still reads it whole.
  // Small objects come back as bytes kept in memory (no file opened per GET); others as a stream.
  const body = ctx.services.store.objectBody(row, { start, end });
  if (!range && wantsGzip(ctx.headers['accept-encoding'], String(headers['content-type'] ?? ''), row.size, headers['content-encoding'])) {
    // Compressed as it streams: the length is unknown (chunked), the ETag stays the stored object's; the MD5 would
    // not describe the gzip bytes sent.
    delete headers['content-length'];
    delete headers['content-md5'];
    headers['content-encoding'] = 'gzip';
    return { status, headers, body: (Buffer.isBuffer(body) ? Readable.from([body], { objectMode: false }) : body).pipe(createGzip()) };
  }
  return { status, headers, body };
};

/** GetObject's documented gzip: Accept-Encoding names gzip, the object is ≥ 1 KB and of one of these types. */
const GZIP_TYPES = new Set([
  'text/cache-manifest',
  'text/xml',
  'text/plain',
  'text/css',
  'application/javascript',
  'application/x-javascript',
  'application/rss+xml',
  'application/json',
  'text/json',
]);
const GZIP_MIN_BYTES = 1024;

function wantsGzip(acceptEncoding: string | undefined, contentType: string, size: number, storedEncoding: unknown): boolean {
  if (size < GZIP_MIN_BYTES || storedEncoding !== undefined) return false;
  if (!GZIP_TYPES.has(contentType.split(';')[0]!.trim().toLowerCase())) return false;
  return (acceptEncoding ?? '').split(',').some((e) => {
    const [name, ...params] = e.split(';').map((p) => p.trim().toLowerCase());
    return name === 'gzip' && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}
