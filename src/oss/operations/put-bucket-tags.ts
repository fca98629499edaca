import { BUCKET_TAG_LIMITS, parseTaggingXml } from '../tagging/tagging.js';
import { CONFIG_BODY_MAX_BYTES, writeBucketConfig } from '../bucket-config-docs.js';
import { requireBucket, type Operation } from '../operation.js';

/** PUT /?tagging: replaces the bucket's tags (stored and returned; nothing acts on them). */
export const putBucketTags: Operation = async (ctx) => {
  const bucket = requireBucket(ctx);
  const tags = parseTaggingXml(await ctx.readBody(CONFIG_BODY_MAX_BYTES), BUCKET_TAG_LIMITS);
  writeBucketConfig(ctx.services.store, bucket.name, 'tagging', tags);
  return {};
};
