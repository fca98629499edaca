import { hasQuery, queryValue, type QueryPairs } from './wire/request-target.js';

export type OperationName =
  | 'ListBuckets'
  | 'PutBucket' | 'DeleteBucket' | 'GetBucketInfo' | 'GetBucketLocation' | 'GetBucketStat' | 'PutBucketAcl' | 'GetBucketAcl'
  | 'ListObjects' | 'ListObjectsV2' | 'DeleteMultipleObjects'
  | 'PutObject' | 'GetObject' | 'HeadObject' | 'DeleteObject' | 'GetObjectMeta' | 'PutObjectAcl' | 'GetObjectAcl'
  | 'PutLiveChannel' | 'ListLiveChannel' | 'DeleteLiveChannel' | 'PutLiveChannelStatus' | 'GetLiveChannelInfo'
  | 'GetLiveChannelStat' | 'GetLiveChannelHistory' | 'PostVodPlaylist' | 'GetVodPlaylist'
  | 'GetSignedPlaylist'
  | 'ListMultipartUploads' | 'InitiateMultipartUpload' | 'UploadPart' | 'CompleteMultipartUpload' | 'AbortMultipartUpload'
  | 'ListParts' | 'AppendObject' | 'RestoreObject'
  | 'PutBucketCors' | 'GetBucketCors' | 'DeleteBucketCors';

export type Level = 'service' | 'bucket' | 'object';

interface Rule {
  method: string;
  level: Level;
  /** Every listed query parameter must be present (value checked when given as name=value). */
  when: readonly string[];
  operation: OperationName;
}

/** Most specific first: the first rule whose method, level and sub-resources match wins. */
const rules: readonly Rule[] = [
  { method: 'GET', level: 'service', when: [], operation: 'ListBuckets' },

  { method: 'PUT', level: 'bucket', when: ['acl'], operation: 'PutBucketAcl' },
  { method: 'PUT', level: 'bucket', when: ['cors'], operation: 'PutBucketCors' },
  { method: 'GET', level: 'bucket', when: ['cors'], operation: 'GetBucketCors' },
  { method: 'DELETE', level: 'bucket', when: ['cors'], operation: 'DeleteBucketCors' },
  { method: 'PUT', level: 'bucket', when: [], operation: 'PutBucket' },
  { method: 'GET', level: 'bucket', when: ['acl'], operation: 'GetBucketAcl' },
  { method: 'GET', level: 'bucket', when: ['bucketInfo'], operation: 'GetBucketInfo' },
  { method: 'GET', level: 'bucket', when: ['location'], operation: 'GetBucketLocation' },
  { method: 'GET', level: 'bucket', when: ['stat'], operation: 'GetBucketStat' },
  { method: 'GET', level: 'bucket', when: ['live'], operation: 'ListLiveChannel' },
  { method: 'GET', level: 'bucket', when: ['uploads'], operation: 'ListMultipartUploads' },
  { method: 'GET', level: 'bucket', when: ['list-type=2'], operation: 'ListObjectsV2' },
  { method: 'GET', level: 'bucket', when: [], operation: 'ListObjects' },
  { method: 'DELETE', level: 'bucket', when: [], operation: 'DeleteBucket' },
  { method: 'POST', level: 'bucket', when: ['delete'], operation: 'DeleteMultipleObjects' },

  // Multipart (UploadPart with x-oss-copy-source is UploadPartCopy, dispatched by upload-part.ts), append, restore.
  { method: 'POST', level: 'object', when: ['uploads'], operation: 'InitiateMultipartUpload' },
  { method: 'PUT', level: 'object', when: ['partNumber', 'uploadId'], operation: 'UploadPart' },
  { method: 'POST', level: 'object', when: ['uploadId'], operation: 'CompleteMultipartUpload' },
  { method: 'DELETE', level: 'object', when: ['uploadId'], operation: 'AbortMultipartUpload' },
  { method: 'GET', level: 'object', when: ['uploadId'], operation: 'ListParts' },
  { method: 'POST', level: 'object', when: ['append'], operation: 'AppendObject' },
  { method: 'POST', level: 'object', when: ['restore'], operation: 'RestoreObject' },
  { method: 'PUT', level: 'object', when: ['live', 'status'], operation: 'PutLiveChannelStatus' },
  { method: 'PUT', level: 'object', when: ['live'], operation: 'PutLiveChannel' },
  { method: 'PUT', level: 'object', when: ['acl'], operation: 'PutObjectAcl' },
  { method: 'PUT', level: 'object', when: [], operation: 'PutObject' },
  { method: 'GET', level: 'object', when: ['live', 'comp=stat'], operation: 'GetLiveChannelStat' },
  { method: 'GET', level: 'object', when: ['live', 'comp=history'], operation: 'GetLiveChannelHistory' },
  { method: 'GET', level: 'object', when: ['live'], operation: 'GetLiveChannelInfo' },
  { method: 'GET', level: 'object', when: ['vod'], operation: 'GetVodPlaylist' },
  { method: 'GET', level: 'object', when: ['acl'], operation: 'GetObjectAcl' },
  { method: 'GET', level: 'object', when: ['objectMeta'], operation: 'GetObjectMeta' },
  { method: 'GET', level: 'object', when: ['x-oss-process=hls/sign'], operation: 'GetSignedPlaylist' },
  { method: 'GET', level: 'object', when: [], operation: 'GetObject' },
  { method: 'HEAD', level: 'object', when: ['objectMeta'], operation: 'GetObjectMeta' },
  { method: 'HEAD', level: 'object', when: [], operation: 'HeadObject' },
  { method: 'DELETE', level: 'object', when: ['live'], operation: 'DeleteLiveChannel' },
  { method: 'DELETE', level: 'object', when: [], operation: 'DeleteObject' },
  { method: 'POST', level: 'object', when: ['vod'], operation: 'PostVodPlaylist' },
];

/**
 * Sub-resources of OSS features this emulator does not implement: a request naming one gets NotImplemented
 * instead of being mistaken for a plain object or bucket operation.
 */
const unimplemented = new Set([
  'cors', 'lifecycle', 'logging', 'website', 'referer', 'uploads', 'uploadId', 'partNumber', 'append', 'tagging',
  'symlink', 'restore', 'replication', 'policy', 'encryption', 'versioning', 'versions', 'worm', 'inventory',
  'qos', 'cname', 'img', 'style', 'x-oss-process', 'requestPayment', 'transferAcceleration', 'accessPoint',
]);

function matches(query: QueryPairs, condition: string): boolean {
  const eq = condition.indexOf('=');
  if (eq === -1) return hasQuery(query, condition);
  return queryValue(query, condition.slice(0, eq)) === condition.slice(eq + 1);
}

export type Detection = { operation: OperationName } | { unsupported: string };

export function detectOperation(method: string, bucket: string | undefined, key: string, query: QueryPairs): Detection {
  const level: Level = bucket === undefined ? 'service' : key === '' ? 'bucket' : 'object';
  const rule = rules.find((r) => r.method === method && r.level === level && r.when.every((c) => matches(query, c)));
  const named = query.find(([k]) => unimplemented.has(k))?.[0];
  if (rule && (rule.when.length > 0 || named === undefined)) return { operation: rule.operation };
  if (named !== undefined) return { unsupported: `The ${method} ?${named} operation` };
  return { unsupported: `${method} on a ${level}` };
}
