import { requireBucket, type Operation } from '../operation.js';

/** DELETE /?cors: 204 whether or not the bucket had rules. */
export const deleteBucketCors: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.store.bucketConfigs.delete(bucket.name, 'cors');
  return { status: 204 };
};
