import { encryptionOf } from '../objects/server-side-encryption.js';
import { createHash } from 'node:crypto';
import { crc64Combine } from '../../store/crc64.js';
import { ossErrors } from '../wire/errors.js';
import { queryValue } from '../wire/request-target.js';
import { requireBucket, type Operation } from '../operation.js';
import { storageClassOf } from '../objects/storage-class.js';
import { parseTaggingHeader } from '../tagging/tagging.js';
import { contentTypeFor, expectedMd5, parseObjectAcl, storedHeaders } from './object-metadata.js';
import { MAX_OBJECT_BYTES } from './put-object.js';

/**
 * POST /key?append&position=N: adds bytes at the end of an Appendable object (creating it at position 0). The new
 * bytes become one more file of the object; CRC64 is carried over (combined), the ETag changes with every append.
 */
export const appendObject: Operation = async (ctx) => {
  const bucket = requireBucket(ctx);
  const { store, clock } = ctx.services;
  const rawPosition = queryValue(ctx.query, 'position') ?? '';
  if (!/^\d+$/.test(rawPosition) || !Number.isSafeInteger(Number(rawPosition))) {
    throw ossErrors.invalidArgument('Position is not a valid integer.', [
      ['ArgumentName', 'position'],
      ['ArgumentValue', rawPosition],
    ]);
  }
  const position = Number(rawPosition);
  const existing = store.getObject(bucket.name, ctx.key);
  // Refuse before reading the body when it is already clear (the same checks run again atomically at commit).
  if (existing && existing.objectType !== 'Appendable') throw ossErrors.objectNotAppendable();
  if ((existing?.size ?? 0) !== position) throw positionError(existing?.size ?? 0);
  const aclHeader = ctx.headers['x-oss-object-acl'] as string | undefined;
  const meta = {
    contentType: contentTypeFor(ctx.headers['content-type']),
    // Later appends keep the object's metadata but take a new x-oss-object-acl when one is given (the Go SDK's
    // TestAppendObject, run against OSS: public-read-write, then public-read on the second append).
    acl: existing && !aclHeader ? undefined : parseObjectAcl(aclHeader),
    headers: storedHeaders(ctx.headers),
    storageClass: storageClassOf(ctx.headers, bucket.storageClass),
    lastModifiedMs: clock.now(),
    // x-oss-tagging counts on the append that creates the object only; on later appends OSS ignores it, even a tag
    // set it would refuse (oss2 tests/test_object.py test_append_object_with_tagging_wrong_num). The store keeps the
    // existing object's tags when it appends.
    tags: existing ? undefined : parseTaggingHeader(ctx.headers),
  };
  const md5 = expectedMd5(ctx.headers);
  const limit = MAX_OBJECT_BYTES - position;
  const written = await store.stageStream(ctx.bodyStream, limit, () => ossErrors.entityTooLarge(MAX_OBJECT_BYTES));
  if (md5 && !written.md5.equals(md5)) {
    store.removeFiles([written.file]);
    throw ossErrors.badDigest();
  }
  const result = store.appendObject(
    bucket.name,
    ctx.key,
    position,
    written,
    (old) => ({
      // OSS's ETag of an appendable object is not the MD5 of its bytes; this one changes with every append.
      etag: `"${createHash('md5')
        .update(old?.etag ?? '')
        .update(written.md5)
        .digest('hex')
        .toUpperCase()}"`,
      crc64: !old
        ? written.crc64
        : old.crc64 === undefined || written.crc64 === undefined
          ? undefined
          : crc64Combine(old.crc64, written.crc64, written.size),
    }),
    meta,
  );
  if ('refused' in result) throw result.refused === 'not-appendable' ? ossErrors.objectNotAppendable() : positionError(result.size);
  return {
    headers: {
      etag: result.row.etag,
      'x-oss-next-append-position': result.row.size,
      ...(result.row.crc64 !== undefined && { 'x-oss-hash-crc64ecma': result.row.crc64 }),
      ...encryptionOf(result.row.headers),
    },
  };
};

const positionError = (size: number) => ossErrors.positionNotEqualToLength(size);
