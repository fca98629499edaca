import { ossErrors } from '../wire/errors.js';
import { requireBucket, type Operation } from '../operation.js';
import { parseObjectAcl } from './object-metadata.js';

export const putObjectAcl: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const { store } = ctx.services;
  if (!store.getObject(bucket.name, ctx.key)) throw ossErrors.noSuchKey(ctx.key);
  store.setObjectAcl(bucket.name, ctx.key, parseObjectAcl(ctx.headers['x-oss-object-acl'] as string | undefined));
  return {};
};
