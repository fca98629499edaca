import { requireBucket, type Operation } from '../operation.js';

export const deleteObject: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.store.deleteObject(bucket.name, ctx.key);
  return { status: 204 };
};
