import { encryptionOf } from '../objects/server-side-encryption.js';
import { ossErrors } from '../wire/errors.js';
import { requireBucket, type Operation } from '../operation.js';
import { contentTypeFor, expectedMd5, parseObjectAcl, storedHeaders } from './object-metadata.js';
import { storageClassOf } from '../objects/storage-class.js';
import { copyObject } from './copy-object.js';
import { parseTaggingHeader } from '../tagging/tagging.js';
import { parseUploadCallback, runUploadCallback } from '../callback/upload-callback.js';

export const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * 1024;

export const putObject: Operation = async (ctx) => {
  const bucket = requireBucket(ctx);
  if (ctx.headers['x-oss-copy-source'] !== undefined) return copyObject(ctx);
  const { store, clock } = ctx.services;
  const acl = parseObjectAcl(ctx.headers['x-oss-object-acl'] as string | undefined);
  const storageClass = storageClassOf(ctx.headers, bucket.storageClass);
  const md5 = expectedMd5(ctx.headers);
  const tags = parseTaggingHeader(ctx.headers);
  const callback = parseUploadCallback(ctx.headers, ctx.query);
  const forbidOverwrite = String(ctx.headers['x-oss-forbid-overwrite'] ?? '').toLowerCase() === 'true';
  // Checked before the body is read (cheap refusal), and again inside the commit transaction (the race).
  if (forbidOverwrite && store.getObject(bucket.name, ctx.key)) throw ossErrors.fileAlreadyExists();
  const guard = forbidOverwrite
    ? (current: unknown) => {
        if (current !== undefined) throw ossErrors.fileAlreadyExists();
      }
    : undefined;
  const row = await store.putObjectStream(
    bucket.name,
    ctx.key,
    ctx.bodyStream,
    MAX_OBJECT_BYTES,
    () => ossErrors.entityTooLarge(MAX_OBJECT_BYTES),
    {
      contentType: contentTypeFor(ctx.headers['content-type']),
      acl,
      headers: storedHeaders(ctx.headers),
      lastModifiedMs: clock.now(),
      storageClass,
      tags,
    },
    md5 && ((written) => (written.equals(md5) ? undefined : ossErrors.badDigest())),
    guard,
  );
  if (callback) return runUploadCallback(callback, bucket.name, row, ctx.services.config.callbackAllowHosts);
  return {
    headers: { etag: row.etag, ...(row.crc64 !== undefined && { 'x-oss-hash-crc64ecma': row.crc64 }), ...encryptionOf(row.headers) },
  };
};
