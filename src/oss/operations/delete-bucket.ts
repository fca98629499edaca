import { ossErrors } from '../wire/errors.js';
import { requireBucket, type Operation } from '../operation.js';

export const deleteBucket: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const { store } = ctx.services;
  // Objects or LiveChannels left make it non-empty (OSS lists LiveChannels among the causes).
  store.transaction(() => {
    if (!store.bucketIsEmpty(bucket.name)) throw ossErrors.bucketNotEmpty(bucket.name);
    store.deleteBucket(bucket.name);
  });
  return { status: 204 };
};
