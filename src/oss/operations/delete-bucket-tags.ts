import { readBucketConfig, writeBucketConfig } from '../bucket-config-docs.js';
import type { ObjectTags } from '../tagging/tagging.js';
import { queryValue } from '../wire/request-target.js';
import { requireBucket, type Operation } from '../operation.js';

/**
 * DELETE /?tagging: 204 whether or not the bucket had tags. `?tagging=k1,k2` deletes only the tags with those keys
 * (OSS DeleteBucketTags reference); a bare `?tagging` deletes them all.
 */
export const deleteBucketTags: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const { store } = ctx.services;
  const keys = (queryValue(ctx.query, 'tagging') ?? '').split(',').filter(Boolean);
  if (keys.length === 0) {
    store.bucketConfigs.delete(bucket.name, 'tagging');
    return { status: 204 };
  }
  const tags = readBucketConfig<ObjectTags>(store, bucket.name, 'tagging') ?? [];
  const kept = tags.filter(([key]) => !keys.includes(key));
  if (kept.length === 0) store.bucketConfigs.delete(bucket.name, 'tagging');
  else if (kept.length !== tags.length) writeBucketConfig(store, bucket.name, 'tagging', kept);
  return { status: 204 };
};
