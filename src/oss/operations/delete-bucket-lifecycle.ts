import { requireBucket, type Operation } from '../operation.js';

/** DELETE /?lifecycle: 204 whether or not the bucket had rules. */
export const deleteBucketLifecycle: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.store.bucketConfigs.delete(bucket.name, 'lifecycle');
  return { status: 204 };
};
