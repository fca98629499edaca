import { LOCATION } from '../wire/formats.js';
import { requireBucket, type Operation } from '../operation.js';

export const getBucketLocation: Operation = (ctx) => {
  requireBucket(ctx);
  return { xml: { root: 'LocationConstraint', children: LOCATION } };
};
