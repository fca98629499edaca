import { readBucketConfig } from '../bucket-config-docs.js';
import { DEFAULT_REFERER, refererConfigurationXml, type RefererConfiguration } from '../referer/referer-rules.js';
import { requireBucket, type Operation } from '../operation.js';

/** GET /?referer: the configuration put, or the allow-everything default (never an error, as OSS). */
export const getBucketReferer: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const config = readBucketConfig<RefererConfiguration>(ctx.services.store, bucket.name, 'referer') ?? DEFAULT_REFERER;
  return { xml: { root: 'RefererConfiguration', children: refererConfigurationXml(config) } };
};
