import { CONFIG_BODY_MAX_BYTES, writeBucketConfig } from '../bucket-config-docs.js';
import { parseRefererConfiguration } from '../referer/referer-rules.js';
import { requireBucket, type Operation } from '../operation.js';

/** PUT /?referer: the bucket's hotlink protection, enforced on anonymous and URL-signed requests. */
export const putBucketReferer: Operation = async (ctx) => {
  const bucket = requireBucket(ctx);
  writeBucketConfig(ctx.services.store, bucket.name, 'referer', parseRefererConfiguration(await ctx.readBody(CONFIG_BODY_MAX_BYTES)));
  return {};
};
