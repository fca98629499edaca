import type { IncomingHttpHeaders } from 'node:http';
import type { ObjectRow } from '../../store/rows.js';
import { ossErrors } from '../wire/errors.js';
import { httpDate } from '../wire/formats.js';
import type { OperationContext, OssReply } from '../operation.js';
import { canRead } from '../access.js';
import { isArchived } from './storage-class.js';
import { restoreStatus } from './restore-state.js';

export interface CopySource {
  bucket: string;
  key: string;
}

/**
 * `x-oss-copy-source: /bucket/key` (key percent-encoded; a `+` is a space, as Go SDK v1's url.QueryEscape writes it;
 * `?versionId=` is accepted and ignored: no versioning here).
 */
export function parseCopySource(raw: string, ec?: string): CopySource {
  const invalid = () =>
    ossErrors.invalidArgument(
      'Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.',
      [
        ['ArgumentName', 'x-oss-copy-source'],
        ['ArgumentValue', raw],
      ],
      ec,
    );
  let value = raw;
  const q = value.indexOf('?');
  if (q !== -1) value = value.slice(0, q);
  if (!value.startsWith('/')) throw invalid();
  const slash = value.indexOf('/', 1);
  if (slash === -1 || slash === value.length - 1) throw invalid();
  try {
    return {
      bucket: decodeURIComponent(value.slice(1, slash)),
      key: decodeURIComponent(value.slice(slash + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw invalid();
  }
}

/** The source object, which must exist, be readable by the caller (source ACL) and not be an unrestored archive. */
export function readableSource(ctx: OperationContext, source: CopySource): ObjectRow {
  const { store, clock } = ctx.services;
  const bucket = store.getBucket(source.bucket);
  if (!bucket) throw ossErrors.noSuchBucket(source.bucket);
  const row = store.getObject(source.bucket, source.key);
  if (!row) throw ossErrors.noSuchKey(source.key);
  if (ctx.principal.kind !== 'user') {
    const acl = row.acl !== 'default' ? row.acl : bucket.acl;
    if (!canRead(acl)) throw ossErrors.accessDenied('You have no right to access this object because of bucket acl.');
  }
  if (isArchived(row.storageClass) && restoreStatus(row, clock.now()) !== 'restored') throw ossErrors.invalidObjectState();
  return row;
}

const dateOf = (raw: unknown): number | undefined => {
  if (typeof raw !== 'string' || !raw) return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
};

const matchesEtag = (list: string, etag: string) =>
  list.split(',').some((t) => t.trim() === '*' || t.trim().replace(/"/g, '') === etag.replace(/"/g, ''));

/**
 * x-oss-copy-source-if-match / -if-unmodified-since (412 PreconditionFailed when they fail) and -if-none-match /
 * -if-modified-since (304 when the source is unchanged), as CopyObject and UploadPartCopy check them. The error's
 * `Condition` names the plain HTTP condition (`If-Match`, `If-Unmodified-Since`), as ali-oss's own copy tests expect
 * of OSS.
 */
export function checkCopyConditions(headers: IncomingHttpHeaders, row: ObjectRow): OssReply | undefined {
  const modifiedSec = Math.floor(row.lastModifiedMs / 1000) * 1000;
  const ifMatch = headers['x-oss-copy-source-if-match'];
  if (typeof ifMatch === 'string' && !matchesEtag(ifMatch, row.etag)) throw ossErrors.preconditionFailed('If-Match');
  const unmodified = dateOf(headers['x-oss-copy-source-if-unmodified-since']);
  if (unmodified !== undefined && modifiedSec > unmodified) throw ossErrors.preconditionFailed('If-Unmodified-Since');
  const ifNoneMatch = headers['x-oss-copy-source-if-none-match'];
  const modifiedSince = dateOf(headers['x-oss-copy-source-if-modified-since']);
  const notModified =
    (typeof ifNoneMatch === 'string' && matchesEtag(ifNoneMatch, row.etag)) ||
    (modifiedSince !== undefined && modifiedSec <= modifiedSince);
  if (notModified) return { status: 304, headers: { etag: row.etag, 'last-modified': httpDate(row.lastModifiedMs) } };
  return undefined;
}
