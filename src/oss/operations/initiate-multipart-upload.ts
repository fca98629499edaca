import { encryptionOf } from '../objects/server-side-encryption.js';
import { ossErrors } from '../wire/errors.js';
import { hasQuery, queryValue } from '../wire/request-target.js';
import { requireBucket, type Operation } from '../operation.js';
import { storageClassOf } from '../objects/storage-class.js';
import { parseTaggingHeader } from '../tagging/tagging.js';
import { contentTypeFor, forbidsOverwrite, parseObjectAcl, storedHeaders } from './object-metadata.js';

/** POST /key?uploads: starts an upload; the object's metadata (type, ACL, x-oss-meta-*, storage class) is given here. */
export const initiateMultipartUpload: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const { store, clock } = ctx.services;
  const acl = parseObjectAcl(ctx.headers['x-oss-object-acl'] as string | undefined);
  const storageClass = storageClassOf(ctx.headers, bucket.storageClass);
  const tags = parseTaggingHeader(ctx.headers);
  if (forbidsOverwrite(ctx.headers) && store.getObject(bucket.name, ctx.key)) throw ossErrors.fileAlreadyExists();
  const upload = store.uploads.initiate(
    bucket.name,
    ctx.key,
    {
      contentType: contentTypeFor(ctx.headers['content-type']),
      acl,
      headers: storedHeaders(ctx.headers),
      storageClass,
      ...(tags && { tags }),
      ...(hasQuery(ctx.query, 'sequential') && { sequential: true }),
    },
    clock.now(),
  );
  const urlEncoded = queryValue(ctx.query, 'encoding-type') === 'url';
  return {
    headers: encryptionOf(upload.meta.headers),
    xml: {
      root: 'InitiateMultipartUploadResult',
      children: [
        urlEncoded && ['EncodingType', 'url'],
        ['Bucket', bucket.name],
        ['Key', urlEncoded ? encodeURIComponent(ctx.key) : ctx.key],
        ['UploadId', upload.uploadId],
      ],
    },
  };
};
