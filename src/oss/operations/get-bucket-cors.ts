import { readBucketConfig } from '../bucket-config-docs.js';
import { corsConfigurationXml, type CorsConfiguration } from '../cors/cors-rules.js';
import { requireBucket, type Operation } from '../operation.js';
import { ossErrors } from '../wire/errors.js';

/** GET /?cors: the rules as put, or 404 NoSuchCORSConfiguration. */
export const getBucketCors: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const config = readBucketConfig<CorsConfiguration>(ctx.services.store, bucket.name, 'cors');
  if (!config) throw ossErrors.noSuchCorsConfiguration(bucket.name);
  return { xml: { root: 'CORSConfiguration', children: corsConfigurationXml(config) } };
};
