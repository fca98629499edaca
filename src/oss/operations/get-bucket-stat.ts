import { requireBucket, type Operation } from '../operation.js';
import { type XmlChild } from '../wire/xml.js';

/** The per-storage-class counters, in OSS's element order: [element prefix, storage class, has a billed/real pair]. */
const CLASSES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['Standard', 'Standard', false],
  ['InfrequentAccess', 'IA', true],
  ['Archive', 'Archive', true],
  ['ColdArchive', 'ColdArchive', true],
  ['DeepColdArchive', 'DeepColdArchive', true],
];

export const getBucketStat: Operation = (ctx) => {
  const b = requireBucket(ctx);
  const stats = ctx.services.store.bucketStats(b.name);
  const byClass = ctx.services.store.bucketStorageClassStats(b.name);
  const perClass = CLASSES.flatMap(([prefix, storageClass, billed]): XmlChild[] => {
    const s = byClass.get(storageClass) ?? { objects: 0, bytes: 0, billedBytes: 0 };
    if (!billed)
      return [
        [`${prefix}Storage`, s.bytes],
        [`${prefix}ObjectCount`, s.objects],
      ];
    // IA and the archive classes bill each object as at least 64 KB: Storage is billed, RealStorage the bytes.
    return [
      [`${prefix}Storage`, s.billedBytes],
      [`${prefix}RealStorage`, s.bytes],
      [`${prefix}ObjectCount`, s.objects],
    ];
  });
  return {
    xml: {
      root: 'BucketStat',
      children: [
        ['Storage', stats.bytes],
        ['ObjectCount', stats.objects],
        ['MultipartUploadCount', ctx.services.store.uploads.countInBucket(b.name)],
        ['LiveChannelCount', stats.channels],
        ['LastModifiedTime', Math.floor(ctx.services.clock.now() / 1000)],
        ...perClass,
        ['DeleteMarkerCount', 0],
      ],
    },
  };
};
