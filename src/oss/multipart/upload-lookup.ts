import { createHash } from 'node:crypto';
import type { BucketRow, PartRow, UploadRow } from '../../store/rows.js';
import { ossErrors } from '../wire/errors.js';
import { queryValue } from '../wire/request-target.js';
import type { OperationContext } from '../operation.js';

/** Every part but the last must hold at least this many bytes (checked at Complete, as OSS does). */
export const MIN_PART_BYTES = 100 * 1024;
export const MAX_PART_NUMBER = 10_000;
export const MAX_PART_BYTES = 5 * 1024 * 1024 * 1024;

/** The upload named by `?uploadId=`, which must belong to this bucket and key (NoSuchUpload otherwise). */
export function requireUpload(ctx: OperationContext, bucket: BucketRow): UploadRow {
  const uploadId = queryValue(ctx.query, 'uploadId') ?? '';
  const upload = uploadId ? ctx.services.store.uploads.get(uploadId) : undefined;
  if (!upload || upload.bucket !== bucket.name || upload.key !== ctx.key) throw ossErrors.noSuchUpload(uploadId);
  return upload;
}

/** `?partNumber=`: an integer in [1, 10000]. */
export function parsePartNumber(raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || !/^\d+$/.test(raw) || n < 1 || n > MAX_PART_NUMBER) {
    throw ossErrors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive.', [
      ['ArgumentName', 'partNumber'],
      ['ArgumentValue', raw ?? ''],
    ]);
  }
  return n;
}

/** ETags compare without quotes and case (SDKs send them as they got them, oss2 sometimes unquoted). */
export const sameEtag = (a: string, b: string): boolean =>
  a.replace(/"/g, '').trim().toUpperCase() === b.replace(/"/g, '').trim().toUpperCase();

/**
 * A multipart object's ETag as OSS computes it: MD5 of the parts' ETags written one after the other as upper-case hex
 * text (not S3's MD5 of their binary MD5s), upper-case hex, `-<number of parts>`. The Go SDK's own tests pin the value
 * real OSS gives a 5-part upload (download_test.go, multicopy_test.go: "2351E662…-5").
 */
export function multipartEtag(parts: readonly PartRow[]): string {
  const hash = createHash('md5');
  for (const p of parts) hash.update(p.etag.replace(/"/g, '').toUpperCase(), 'latin1');
  return `"${hash.digest('hex').toUpperCase()}-${parts.length}"`;
}
