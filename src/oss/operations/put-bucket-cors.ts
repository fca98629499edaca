import { CONFIG_BODY_MAX_BYTES, writeBucketConfig } from '../bucket-config-docs.js';
import { parseCorsConfiguration } from '../cors/cors-rules.js';
import { requireBucket, type Operation } from '../operation.js';

/** PUT /?cors: replaces the bucket's CORS rules (enforced on preflights and cross-origin requests). */
export const putBucketCors: Operation = async (ctx) => {
  const bucket = requireBucket(ctx);
  const config = parseCorsConfiguration(await ctx.readBody(CONFIG_BODY_MAX_BYTES));
  writeBucketConfig(ctx.services.store, bucket.name, 'cors', config);
  return {};
};
