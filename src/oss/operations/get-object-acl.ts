import { ossErrors } from '../wire/errors.js';
import { ownerXml } from '../wire/formats.js';
import { requireBucket, type Operation } from '../operation.js';

export const getObjectAcl: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const row = ctx.services.store.getObject(bucket.name, ctx.key);
  if (!row) throw ossErrors.noSuchKey(ctx.key);
  return { xml: { root: 'AccessControlPolicy', children: [ownerXml, ['AccessControlList', [['Grant', row.acl]]]] } };
};
