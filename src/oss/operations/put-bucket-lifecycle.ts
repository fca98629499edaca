import { CONFIG_BODY_MAX_BYTES, writeBucketConfig } from '../bucket-config-docs.js';
import { parseLifecycleConfiguration } from '../lifecycle/lifecycle-rules.js';
import { requireBucket, type Operation } from '../operation.js';

/** PUT /?lifecycle: replaces the bucket's rules; Expiration and AbortMultipartUpload are applied, Transition stored. */
export const putBucketLifecycle: Operation = async (ctx) => {
  const bucket = requireBucket(ctx);
  writeBucketConfig(ctx.services.store, bucket.name, 'lifecycle', parseLifecycleConfiguration(await ctx.readBody(CONFIG_BODY_MAX_BYTES)));
  return {};
};
