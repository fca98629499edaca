import { readBucketConfig } from '../bucket-config-docs.js';
import { lifecycleConfigurationXml, type LifecycleConfiguration } from '../lifecycle/lifecycle-rules.js';
import { requireBucket, type Operation } from '../operation.js';
import { ossErrors } from '../wire/errors.js';

/** GET /?lifecycle: the rules as put (IDs filled in), or 404 NoSuchLifecycle. */
export const getBucketLifecycle: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const config = readBucketConfig<LifecycleConfiguration>(ctx.services.store, bucket.name, 'lifecycle');
  if (!config) throw ossErrors.noSuchLifecycle(bucket.name);
  return { xml: { root: 'LifecycleConfiguration', children: lifecycleConfigurationXml(config) } };
};
