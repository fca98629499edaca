import { encryptionHeaders, encryptionOf, withoutEncryption } from '../objects/server-side-encryption.js';
import { ossErrors } from '../wire/errors.js';
import { isoSeconds } from '../wire/formats.js';
import { requireBucket, type Operation, type OperationContext } from '../operation.js';
import type { NewObject } from '../../store/store.js';
import type { ObjectRow, ObjectTags } from '../../store/rows.js';
import { checkCopyConditions, parseCopySource, readableSource } from '../objects/copy-source.js';
import { storageClassOf } from '../objects/storage-class.js';
import { parseTaggingHeader } from '../tagging/tagging.js';
import { contentTypeFor, forbidsOverwrite, parseObjectAcl, storedHeaders } from './object-metadata.js';

/**
 * PUT /key with x-oss-copy-source (dispatched by put-object.ts): a copy of an object, same or cross bucket.
 * x-oss-metadata-directive COPY (default: the source's Content-Type and metadata) or REPLACE (the request's);
 * x-oss-copy-source-if-* conditions; x-oss-forbid-overwrite. The source's files are cloned, never read into memory;
 * a copy onto itself only rewrites the metadata (how the SDKs update metadata in place).
 */
export const copyObject: Operation = async (ctx) => {
  const bucket = requireBucket(ctx);
  const { store, clock } = ctx.services;
  const directive = String(ctx.headers['x-oss-metadata-directive'] ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw ossErrors.invalidArgument('Invalid metadata directive.', [
      ['ArgumentName', 'x-oss-metadata-directive'],
      ['ArgumentValue', directive],
    ]);
  }
  const taggingDirective = String(ctx.headers['x-oss-tagging-directive'] ?? 'COPY').toUpperCase();
  if (taggingDirective !== 'COPY' && taggingDirective !== 'REPLACE') {
    throw ossErrors.invalidArgument('Invalid tagging directive.', [
      ['ArgumentName', 'x-oss-tagging-directive'],
      ['ArgumentValue', taggingDirective],
    ]);
  }
  // REPLACE: the request's x-oss-tagging (none: no tags); checked before the source is read.
  const replacedTags = taggingDirective === 'REPLACE' ? (parseTaggingHeader(ctx.headers) ?? []) : undefined;
  const source = readableSource(ctx, parseCopySource(String(ctx.headers['x-oss-copy-source'])));
  const notModified = checkCopyConditions(ctx.headers, source);
  if (notModified) return notModified;
  const meta = {
    contentType: directive === 'REPLACE' ? contentTypeFor(ctx.headers['content-type']) : source.contentType,
    // COPY keeps the source's headers but not its encryption: the target's is the one this request asks for.
    headers:
      directive === 'REPLACE' ? storedHeaders(ctx.headers) : { ...withoutEncryption(source.headers), ...encryptionHeaders(ctx.headers) },
    acl: parseObjectAcl(ctx.headers['x-oss-object-acl'] as string | undefined),
    storageClass: storageClassOf(ctx.headers, bucket.storageClass),
    lastModifiedMs: clock.now(),
    objectType: source.objectType === 'Appendable' ? ('Normal' as const) : source.objectType,
    // x-oss-tagging-directive COPY (the default) keeps the source's tags, REPLACE takes the request's x-oss-tagging.
    tags: replacedTags ?? source.tags,
  };
  const forbid = forbidsOverwrite(ctx.headers);
  const sameObject = source.bucket === bucket.name && source.key === ctx.key;
  if (sameObject && forbid) throw ossErrors.fileAlreadyExists();
  const row = sameObject
    ? updateInPlace(ctx, bucket.name, { ...meta, objectType: source.objectType }, replacedTags)
    : await store.copyObject(source, bucket.name, ctx.key, meta, (current) => {
        if (forbid && current) throw ossErrors.fileAlreadyExists();
      });
  // The source was overwritten or deleted while being copied: as if it had never been there.
  if (!row) throw ossErrors.noSuchKey(source.key);
  return {
    headers: { etag: row.etag, ...(row.crc64 !== undefined && { 'x-oss-hash-crc64ecma': row.crc64 }), ...encryptionOf(row.headers) },
    xml: {
      root: 'CopyObjectResult',
      children: [
        ['ETag', row.etag],
        ['LastModified', isoSeconds(row.lastModifiedMs)],
      ],
    },
  };
};

/** A copy onto itself: metadata (and, with x-oss-tagging-directive REPLACE, the tags) rewritten in place. */
function updateInPlace(ctx: OperationContext, bucket: string, meta: NewObject, tags: ObjectTags | undefined): ObjectRow | undefined {
  const { store } = ctx.services;
  if (tags !== undefined && !store.setObjectTags(bucket, ctx.key, tags)) return undefined;
  return store.updateObjectMeta(bucket, ctx.key, meta);
}
