import { LOCATION, isoSeconds, ownerXml } from '../wire/formats.js';
import { requireBucket, type Operation } from '../operation.js';
import { endpoints } from './bucket-endpoints.js';

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
            ...endpoints(ctx, b.name),
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
