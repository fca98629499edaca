import { LOCATION, isoSeconds, ownerXml } from '../wire/formats.js';
import { requireBucket, type Operation } from '../operation.js';
import { endpoints } from './bucket-endpoints.js';
import { readBucketConfig } from '../bucket-config-docs.js';
import { type XmlChild } from '../wire/xml.js';

interface EncryptionDefault {
  ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string; KMSMasterKeyID?: string; KMSDataEncryption?: string };
}

/** The bucket's default encryption (PutBucket's SSE headers or PutBucketEncryption), `None` without one. */
function encryptionRule(ctx: Parameters<Operation>[0], bucket: string): XmlChild {
  const rule = readBucketConfig<EncryptionDefault>(ctx.services.store, bucket, 'encryption')?.ApplyServerSideEncryptionByDefault;
  if (rule?.SSEAlgorithm === undefined) return ['ServerSideEncryptionRule', [['SSEAlgorithm', 'None']]];
  return [
    'ServerSideEncryptionRule',
    [
      ['SSEAlgorithm', rule.SSEAlgorithm],
      rule.SSEAlgorithm === 'KMS' && ['KMSMasterKeyID', rule.KMSMasterKeyID ?? ''],
      rule.KMSDataEncryption !== undefined && ['KMSDataEncryption', rule.KMSDataEncryption],
    ],
  ];
}

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
            ['DataRedundancyType', b.dataRedundancyType],
            ...endpoints(ctx, b.name),
            ['Location', LOCATION],
            ['Name', b.name],
            ['ResourceGroupId', 'rg-default'],
            ['StorageClass', b.storageClass],
            ['TransferAcceleration', 'Disabled'],
            ownerXml,
            ['AccessControlList', [['Grant', b.acl]]],
            ['Comment', b.comment],
            encryptionRule(ctx, b.name),
            [
              'BucketPolicy',
              [
                ['LogBucket', ''],
                ['LogPrefix', ''],
              ],
            ],
          ],
        ],
      ],
    },
  };
};
