import { ossErrors } from '../wire/errors.js';
import { requireBucket, type Operation } from '../operation.js';
import { requireUpload } from '../multipart/upload-lookup.js';

/** DELETE /key?uploadId=: drops the upload and its parts (204); NoSuchUpload for an unknown id. */
export const abortMultipartUpload: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const upload = requireUpload(ctx, bucket);
  if (!ctx.services.store.uploads.abort(upload.uploadId)) throw ossErrors.noSuchUpload(upload.uploadId);
  return { status: 204 };
};
