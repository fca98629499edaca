import { readBucketConfig } from '../bucket-config-docs.js';
import { taggingXml, type ObjectTags } from '../tagging/tagging.js';
import { requireBucket, type Operation } from '../operation.js';

/** GET /?tagging: the bucket's tags, an empty TagSet when it has none. */
export const getBucketTags: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const tags = readBucketConfig<ObjectTags>(ctx.services.store, bucket.name, 'tagging') ?? [];
  return { xml: { root: 'Tagging', children: taggingXml(tags) } };
};
