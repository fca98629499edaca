import type { OperationName } from '../detect-operation.js';
import type { Operation } from '../operation.js';
import { deleteBucket, getBucketAcl, getBucketInfo, getBucketLocation, getBucketStat, listBuckets, putBucket, putBucketAcl } from './buckets.js';
import { getObject, getObjectMeta } from './get-object.js';
import { liveChannelOperations } from './live-channels.js';
import { deleteMultipleObjects, deleteObject, getObjectAcl, listObjects, listObjectsV2, putObjectAcl } from './objects.js';
import { putObject } from './put-object.js';

/** Operation name -> handler: the one table the pipeline dispatches through. */
export const operations: Record<OperationName, Operation> = {
  ListBuckets: listBuckets,
  PutBucket: putBucket,
  DeleteBucket: deleteBucket,
  GetBucketInfo: getBucketInfo,
  GetBucketLocation: getBucketLocation,
  GetBucketStat: getBucketStat,
  PutBucketAcl: putBucketAcl,
  GetBucketAcl: getBucketAcl,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  DeleteMultipleObjects: deleteMultipleObjects,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: getObject,
  GetObjectMeta: getObjectMeta,
  DeleteObject: deleteObject,
  PutObjectAcl: putObjectAcl,
  GetObjectAcl: getObjectAcl,
  ...liveChannelOperations,
};
