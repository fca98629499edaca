import { requireBucket, type Operation } from '../operation.js';

/** DELETE /?tagging: 204 whether or not the bucket had tags. */
export const deleteBucketTags: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.store.bucketConfigs.delete(bucket.name, 'tagging');
  return { status: 204 };
};
