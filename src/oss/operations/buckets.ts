import { hasQuery, queryValue } from '../../http/request-target.js';
import { childText, parseXmlBody, type XmlChild } from '../../http/xml.js';
import type { BucketRow } from '../../store/rows.js';
import { ossErrors } from '../errors.js';
import { LOCATION, REGION, isoSeconds, ownerXml, parseBucketAcl, parseMaxKeys, validateBucketName } from '../formats.js';
import { requireBucket, type Operation, type OperationContext } from '../operation.js';

const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];

const endpoints = (ctx: OperationContext): XmlChild[] => [
  ['ExtranetEndpoint', ctx.publicHost],
  ['IntranetEndpoint', ctx.publicHost],
];

export const putBucket: Operation = async (ctx) => {
  const name = ctx.bucket!;
  validateBucketName(name);
  const acl = parseBucketAcl(ctx.headers['x-oss-acl'] as string | undefined, 'private');
  let storageClass = 'Standard';
  const body = await ctx.readBody(64 * 1024);
  if (body.length > 0) {
    const config = parseXmlBody(body, 'CreateBucketConfiguration');
    const requested = childText(config, 'StorageClass');
    if (requested !== undefined && requested !== '') {
      if (!STORAGE_CLASSES.includes(requested)) throw ossErrors.invalidArgument(`Unsupported storage class ${requested}.`);
      storageClass = requested;
    }
  }
  const row: BucketRow = { name, acl, storageClass, createdMs: ctx.services.clock.now() };
  if (!ctx.services.store.createBucket(row)) throw ossErrors.bucketAlreadyExists(name);
  return { headers: { location: `/${name}` } };
};

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

export const listBuckets: Operation = (ctx) => {
  const prefix = queryValue(ctx.query, 'prefix') ?? '';
  const marker = queryValue(ctx.query, 'marker') ?? '';
  const paged = hasQuery(ctx.query, 'max-keys') && queryValue(ctx.query, 'max-keys') !== '';
  const maxKeys = parseMaxKeys(queryValue(ctx.query, 'max-keys'), 1000, 1000);
  const matching = ctx.services.store.listBuckets(marker).filter((b) => b.name.startsWith(prefix));
  const page = matching.slice(0, maxKeys);
  const truncated = matching.length > maxKeys;
  return {
    xml: {
      root: 'ListAllMyBucketsResult',
      children: [
        (prefix !== '' || marker !== '' || paged) && ['Prefix', prefix],
        (prefix !== '' || marker !== '' || paged) && ['Marker', marker],
        paged && ['MaxKeys', maxKeys],
        (prefix !== '' || marker !== '' || paged) && ['IsTruncated', truncated],
        truncated && ['NextMarker', page[page.length - 1]!.name],
        ownerXml,
        [
          'Buckets',
          page.map((b): XmlChild => [
            'Bucket',
            [
              ['CreationDate', isoSeconds(b.createdMs)],
              ...endpoints(ctx),
              ['Location', LOCATION],
              ['Name', b.name],
              ['Region', REGION],
              ['StorageClass', b.storageClass],
            ],
          ]),
        ],
      ],
    },
  };
};

export const getBucketInfo: Operation = (ctx) => {
  const b = requireBucket(ctx);
  return {
    xml: {
      root: 'BucketInfo',
      children: [
        [
          'Bucket',
          [
            ['AccessMonitor', 'Disabled'],
            ['CreationDate', isoSeconds(b.createdMs)],
            ['CrossRegionReplication', 'Disabled'],
            ['DataRedundancyType', 'LRS'],
            ...endpoints(ctx),
            ['Location', LOCATION],
            ['Name', b.name],
            ['ResourceGroupId', 'rg-default'],
            ['StorageClass', b.storageClass],
            ['TransferAcceleration', 'Disabled'],
            ownerXml,
            ['AccessControlList', [['Grant', b.acl]]],
            ['ServerSideEncryptionRule', [['SSEAlgorithm', 'None']]],
            ['BucketPolicy', [['LogBucket', ''], ['LogPrefix', '']]],
          ],
        ],
      ],
    },
  };
};

export const getBucketLocation: Operation = (ctx) => {
  requireBucket(ctx);
  return { xml: { root: 'LocationConstraint', children: LOCATION } };
};

export const getBucketStat: Operation = (ctx) => {
  const b = requireBucket(ctx);
  const stats = ctx.services.store.bucketStats(b.name);
  return {
    xml: {
      root: 'BucketStat',
      children: [
        ['Storage', stats.bytes],
        ['ObjectCount', stats.objects],
        ['MultipartUploadCount', 0],
        ['LiveChannelCount', stats.channels],
        ['LastModifiedTime', Math.floor(ctx.services.clock.now() / 1000)],
        ['StandardStorage', stats.bytes],
        ['StandardObjectCount', stats.objects],
      ],
    },
  };
};

export const putBucketAcl: Operation = (ctx) => {
  const b = requireBucket(ctx);
  const raw = ctx.headers['x-oss-acl'] as string | undefined;
  if (raw === undefined) throw ossErrors.invalidArgument('The x-oss-acl header is required.');
  ctx.services.store.setBucketAcl(b.name, parseBucketAcl(raw, b.acl));
  return {};
};

export const getBucketAcl: Operation = (ctx) => {
  const b = requireBucket(ctx);
  return { xml: { root: 'AccessControlPolicy', children: [ownerXml, ['AccessControlList', [['Grant', b.acl]]]] } };
};
