import type { OperationName } from '../detect-operation.js';
import type { Operation } from '../operation.js';
import { abortMultipartUpload } from './abort-multipart-upload.js';
import { appendObject } from './append-object.js';
import { completeMultipartUpload } from './complete-multipart-upload.js';
import { deleteBucket } from './delete-bucket.js';
import { deleteBucketCors } from './delete-bucket-cors.js';
import { deleteLiveChannel } from './delete-live-channel.js';
import { deleteMultipleObjects } from './delete-multiple-objects.js';
import { deleteObject } from './delete-object.js';
import { getBucketAcl } from './get-bucket-acl.js';
import { getBucketCors } from './get-bucket-cors.js';
import { getBucketInfo } from './get-bucket-info.js';
import { getBucketLocation } from './get-bucket-location.js';
import { getBucketStat } from './get-bucket-stat.js';
import { getLiveChannelHistory } from './get-live-channel-history.js';
import { getLiveChannelInfo } from './get-live-channel-info.js';
import { getLiveChannelStat } from './get-live-channel-stat.js';
import { getObject } from './get-object.js';
import { getObjectAcl } from './get-object-acl.js';
import { getObjectMeta } from './get-object-meta.js';
import { getSignedPlaylist } from './get-signed-playlist.js';
import { getVodPlaylist } from './get-vod-playlist.js';
import { initiateMultipartUpload } from './initiate-multipart-upload.js';
import { listBuckets } from './list-buckets.js';
import { listLiveChannel } from './list-live-channel.js';
import { listMultipartUploads } from './list-multipart-uploads.js';
import { listObjects } from './list-objects.js';
import { listObjectsV2 } from './list-objects-v2.js';
import { listParts } from './list-parts.js';
import { postVodPlaylist } from './post-vod-playlist.js';
import { putBucket } from './put-bucket.js';
import { putBucketAcl } from './put-bucket-acl.js';
import { putBucketCors } from './put-bucket-cors.js';
import { putLiveChannel } from './put-live-channel.js';
import { putLiveChannelStatus } from './put-live-channel-status.js';
import { putObject } from './put-object.js';
import { putObjectAcl } from './put-object-acl.js';
import { restoreObject } from './restore-object.js';
import { uploadPart } from './upload-part.js';
import { bucketEncryption, bucketLogging, bucketWebsite } from './bucket-documents.js';
import { deleteBucketPolicy, getBucketPolicy, putBucketPolicy } from './bucket-policy.js';
import { deleteBucketLifecycle } from './delete-bucket-lifecycle.js';
import { deleteBucketTags } from './delete-bucket-tags.js';
import { deleteObjectTagging } from './delete-object-tagging.js';
import { getBucketLifecycle } from './get-bucket-lifecycle.js';
import { getBucketReferer } from './get-bucket-referer.js';
import { getBucketTags } from './get-bucket-tags.js';
import { getObjectTagging } from './get-object-tagging.js';
import { getSymlink } from './get-symlink.js';
import { postObject } from './post-object.js';
import { putBucketLifecycle } from './put-bucket-lifecycle.js';
import { putBucketReferer } from './put-bucket-referer.js';
import { putBucketTags } from './put-bucket-tags.js';
import { putObjectTagging } from './put-object-tagging.js';
import { putSymlink } from './put-symlink.js';

/** Operation name -> handler: the one table the pipeline dispatches through. One file per operation. */
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
  GetSignedPlaylist: getSignedPlaylist,
  DeleteObject: deleteObject,
  PutObjectAcl: putObjectAcl,
  GetObjectAcl: getObjectAcl,
  PutLiveChannel: putLiveChannel,
  ListLiveChannel: listLiveChannel,
  DeleteLiveChannel: deleteLiveChannel,
  PutLiveChannelStatus: putLiveChannelStatus,
  GetLiveChannelInfo: getLiveChannelInfo,
  GetLiveChannelStat: getLiveChannelStat,
  GetLiveChannelHistory: getLiveChannelHistory,
  PostVodPlaylist: postVodPlaylist,
  GetVodPlaylist: getVodPlaylist,
  ListMultipartUploads: listMultipartUploads,
  InitiateMultipartUpload: initiateMultipartUpload,
  UploadPart: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  AppendObject: appendObject,
  RestoreObject: restoreObject,
  PutBucketCors: putBucketCors,
  GetBucketCors: getBucketCors,
  DeleteBucketCors: deleteBucketCors,
  PutBucketReferer: putBucketReferer,
  GetBucketReferer: getBucketReferer,
  PutBucketLifecycle: putBucketLifecycle,
  GetBucketLifecycle: getBucketLifecycle,
  DeleteBucketLifecycle: deleteBucketLifecycle,
  PutBucketTags: putBucketTags,
  GetBucketTags: getBucketTags,
  DeleteBucketTags: deleteBucketTags,
  PutBucketEncryption: bucketEncryption.put,
  GetBucketEncryption: bucketEncryption.get,
  DeleteBucketEncryption: bucketEncryption.delete,
  PutBucketPolicy: putBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  PutBucketLogging: bucketLogging.put,
  GetBucketLogging: bucketLogging.get,
  DeleteBucketLogging: bucketLogging.delete,
  PutBucketWebsite: bucketWebsite.put,
  GetBucketWebsite: bucketWebsite.get,
  DeleteBucketWebsite: bucketWebsite.delete,
  PutObjectTagging: putObjectTagging,
  GetObjectTagging: getObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  PutSymlink: putSymlink,
  GetSymlink: getSymlink,
  PostObject: postObject,
};
