import { ownerXml } from '../wire/formats.js';
import { requireBucket, type Operation } from '../operation.js';

export const getBucketAcl: Operation = (ctx) => {
  const b = requireBucket(ctx);
  return { xml: { root: 'AccessControlPolicy', children: [ownerXml, ['AccessControlList', [['Grant', b.acl]]]] } };
};
