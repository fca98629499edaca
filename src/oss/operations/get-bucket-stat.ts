import { requireBucket, type Operation } from '../operation.js';

export const getBucketStat: Operation = (ctx) => {
  const b = requireBucket(ctx);
  const stats = ctx.services.store.bucketStats(b.name);
  return {
    xml: {
      root: 'BucketStat',
      children: [
        ['Storage', stats.bytes],
        ['ObjectCount', stats.objects],
        ['MultipartUploadCount', ctx.services.store.uploads.countInBucket(b.name)],
        ['LiveChannelCount', stats.channels],
        ['LastModifiedTime', Math.floor(ctx.services.clock.now() / 1000)],
        ['StandardStorage', stats.bytes],
        ['StandardObjectCount', stats.objects],
      ],
    },
  };
};
