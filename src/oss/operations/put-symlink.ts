import { parseTaggingHeader } from '../tagging/tagging.js';
import { storageClassOf } from '../objects/storage-class.js';
import { requireBucket, type Operation } from '../operation.js';
import { ossErrors } from '../wire/errors.js';
import { contentTypeFor, parseObjectAcl, storedHeaders } from './object-metadata.js';

/**
 * PUT /key?symlink with `x-oss-symlink-target` (URL-encoded, as the SDKs send it): an object pointing to another key of
 * the same bucket. The target need not exist yet (OSS does not check); reads through the link do.
 */
export const putSymlink: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const raw = ctx.headers['x-oss-symlink-target'];
  if (typeof raw !== 'string' || raw === '') {
    throw ossErrors.invalidArgument('x-oss-symlink-target is required.', [
      ['ArgumentName', 'x-oss-symlink-target'],
      ['ArgumentValue', ''],
    ]);
  }
  let target: string;
  try {
    target = decodeURIComponent(raw);
  } catch {
    throw ossErrors.invalidArgument('x-oss-symlink-target is not valid URL encoding.', [
      ['ArgumentName', 'x-oss-symlink-target'],
      ['ArgumentValue', raw],
    ]);
  }
  if (Buffer.byteLength(target) > 1023) throw ossErrors.invalidObjectName(target.slice(0, 64));
  const { store, clock } = ctx.services;
  const forbidOverwrite = String(ctx.headers['x-oss-forbid-overwrite'] ?? '').toLowerCase() === 'true';
  if (forbidOverwrite && store.getObject(bucket.name, ctx.key)) throw ossErrors.fileAlreadyExists();
  const row = store.putObjectBytes(bucket.name, ctx.key, [], {
    contentType: contentTypeFor(ctx.headers['content-type']),
    acl: parseObjectAcl(ctx.headers['x-oss-object-acl'] as string | undefined),
    headers: storedHeaders(ctx.headers),
    lastModifiedMs: clock.now(),
    storageClass: storageClassOf(ctx.headers, bucket.storageClass),
    objectType: 'Symlink',
    symlinkTarget: target,
    tags: parseTaggingHeader(ctx.headers) ?? [],
  });
  return { headers: { etag: row.etag } };
};
