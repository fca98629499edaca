import { ossErrors } from '../wire/errors.js';
import { parseBucketAcl } from '../wire/formats.js';
import { requireBucket, type Operation } from '../operation.js';

export const putBucketAcl: Operation = (ctx) => {
  const b = requireBucket(ctx);
  const raw = ctx.headers['x-oss-acl'] as string | undefined;
  if (raw === undefined) throw ossErrors.invalidArgument('The x-oss-acl header is required.');
  ctx.services.store.setBucketAcl(b.name, parseBucketAcl(raw, b.acl));
  return {};
};
