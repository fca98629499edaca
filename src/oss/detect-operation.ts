import { isV1Subresource } from '../auth/subresources.js';
import { hasQuery, queryValue, type QueryPairs } from './wire/request-target.js';

/**
 * Which OSS operation a request is: one table, most specific row first.
 *
 * A row matches when method and level (service / bucket / object) are equal and every `when` condition holds (`name`:
 * the query has it, `name=value`: with that value). Sub-resources then act as a whitelist: a query parameter that is an
 * OSS sub-resource (`isSubresource`: every name a V1 signer treats as one, plus OSS features no SDK signs such as
 * `?regions` or `?accessmonitor`) reaches the operation only if the row names it in `when` or `accepts`, or it belongs to
 * authentication (`AUTH_PARAMETERS`); otherwise the request is NotImplemented, never mistaken for a plain object or
 * bucket operation. Parameters that are not sub-resources (`prefix`, `max-keys`, a cache-busting `?v=2`) pass through
 * untouched; the operation reads the ones it knows and OSS ignores the others.
 *
 * Adding an operation: one row with its `when` (what selects it) and `accepts` (optional sub-resources it reads, e.g.
 * `continuation-token`), above any row of the same method and level that it would otherwise fall into.
 */

export type OperationName =
  | 'ListBuckets'
  | 'PutBucket'
  | 'DeleteBucket'
  | 'GetBucketInfo'
  | 'GetBucketLocation'
  | 'GetBucketStat'
  | 'PutBucketAcl'
  | 'GetBucketAcl'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'DeleteMultipleObjects'
  | 'PutObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'GetObjectMeta'
  | 'PutObjectAcl'
  | 'GetObjectAcl'
  | 'PutLiveChannel'
  | 'ListLiveChannel'
  | 'DeleteLiveChannel'
  | 'PutLiveChannelStatus'
  | 'GetLiveChannelInfo'
  | 'GetLiveChannelStat'
  | 'GetLiveChannelHistory'
  | 'PostVodPlaylist'
  | 'GetVodPlaylist'
  | 'GetSignedPlaylist'
  | 'ListMultipartUploads'
  | 'InitiateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'AppendObject'
  | 'RestoreObject'
  | 'PutBucketCors'
  | 'GetBucketCors'
  | 'DeleteBucketCors'
  | 'PutBucketReferer'
  | 'GetBucketReferer'
  | 'PutBucketLifecycle'
  | 'GetBucketLifecycle'
  | 'DeleteBucketLifecycle'
  | 'PutBucketTags'
  | 'GetBucketTags'
  | 'DeleteBucketTags'
  | 'PutBucketEncryption'
  | 'GetBucketEncryption'
  | 'DeleteBucketEncryption'
  | 'PutBucketPolicy'
  | 'GetBucketPolicy'
  | 'DeleteBucketPolicy'
  | 'PutBucketLogging'
  | 'GetBucketLogging'
  | 'DeleteBucketLogging'
  | 'PutBucketWebsite'
  | 'GetBucketWebsite'
  | 'DeleteBucketWebsite'
  | 'PutObjectTagging'
  | 'GetObjectTagging'
  | 'DeleteObjectTagging'
  | 'PutSymlink'
  | 'GetSymlink'
  | 'PostObject';

export type Level = 'service' | 'bucket' | 'object';

interface Rule {
  method: string;
  level: Level;
  /** Every listed query parameter must be present (value checked when given as name=value). */
  when: readonly string[];
  /** Sub-resources the operation also takes when present (names only). */
  accepts?: readonly string[];
  operation: OperationName;
}

const RESPONSE_OVERRIDES = [
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
];
const VOD_SPAN = ['startTime', 'endTime'];
/** Single-connection bandwidth limit (bit/s) OSS takes on uploads and downloads, also in a presigned URL: accepted, not enforced. */
const TRAFFIC_LIMIT = 'x-oss-traffic-limit';

/** Most specific first: the first rule whose method, level and sub-resources match wins. */
const rules: readonly Rule[] = [
  { method: 'GET', level: 'service', when: [], operation: 'ListBuckets' },

  { method: 'PUT', level: 'bucket', when: ['acl'], operation: 'PutBucketAcl' },
  // Bucket rules and configuration documents (bucket-rules)
  { method: 'PUT', level: 'bucket', when: ['cors'], operation: 'PutBucketCors' },
  { method: 'GET', level: 'bucket', when: ['cors'], operation: 'GetBucketCors' },
  { method: 'DELETE', level: 'bucket', when: ['cors'], operation: 'DeleteBucketCors' },
  { method: 'PUT', level: 'bucket', when: ['referer'], operation: 'PutBucketReferer' },
  { method: 'GET', level: 'bucket', when: ['referer'], operation: 'GetBucketReferer' },
  { method: 'PUT', level: 'bucket', when: ['lifecycle'], operation: 'PutBucketLifecycle' },
  { method: 'GET', level: 'bucket', when: ['lifecycle'], operation: 'GetBucketLifecycle' },
  { method: 'DELETE', level: 'bucket', when: ['lifecycle'], operation: 'DeleteBucketLifecycle' },
  { method: 'PUT', level: 'bucket', when: ['tagging'], operation: 'PutBucketTags' },
  { method: 'GET', level: 'bucket', when: ['tagging'], operation: 'GetBucketTags' },
  { method: 'DELETE', level: 'bucket', when: ['tagging'], operation: 'DeleteBucketTags' },
  { method: 'PUT', level: 'bucket', when: ['encryption'], operation: 'PutBucketEncryption' },
  { method: 'GET', level: 'bucket', when: ['encryption'], operation: 'GetBucketEncryption' },
  { method: 'DELETE', level: 'bucket', when: ['encryption'], operation: 'DeleteBucketEncryption' },
  { method: 'PUT', level: 'bucket', when: ['policy'], operation: 'PutBucketPolicy' },
  { method: 'GET', level: 'bucket', when: ['policy'], operation: 'GetBucketPolicy' },
  { method: 'DELETE', level: 'bucket', when: ['policy'], operation: 'DeleteBucketPolicy' },
  { method: 'PUT', level: 'bucket', when: ['logging'], operation: 'PutBucketLogging' },
  { method: 'GET', level: 'bucket', when: ['logging'], operation: 'GetBucketLogging' },
  { method: 'DELETE', level: 'bucket', when: ['logging'], operation: 'DeleteBucketLogging' },
  { method: 'PUT', level: 'bucket', when: ['website'], operation: 'PutBucketWebsite' },
  { method: 'GET', level: 'bucket', when: ['website'], operation: 'GetBucketWebsite' },
  { method: 'DELETE', level: 'bucket', when: ['website'], operation: 'DeleteBucketWebsite' },
  { method: 'PUT', level: 'object', when: ['tagging'], operation: 'PutObjectTagging' },
  { method: 'GET', level: 'object', when: ['tagging'], operation: 'GetObjectTagging' },
  { method: 'DELETE', level: 'object', when: ['tagging'], operation: 'DeleteObjectTagging' },
  { method: 'PUT', level: 'object', when: ['symlink'], operation: 'PutSymlink' },
  { method: 'GET', level: 'object', when: ['symlink'], operation: 'GetSymlink' },
  { method: 'PUT', level: 'bucket', when: [], operation: 'PutBucket' },
  { method: 'GET', level: 'bucket', when: ['acl'], operation: 'GetBucketAcl' },
  { method: 'GET', level: 'bucket', when: ['bucketInfo'], operation: 'GetBucketInfo' },
  { method: 'GET', level: 'bucket', when: ['location'], operation: 'GetBucketLocation' },
  { method: 'GET', level: 'bucket', when: ['stat'], operation: 'GetBucketStat' },
  { method: 'GET', level: 'bucket', when: ['live'], operation: 'ListLiveChannel' },
  { method: 'GET', level: 'bucket', when: ['uploads'], operation: 'ListMultipartUploads' },
  { method: 'GET', level: 'bucket', when: ['list-type=2'], accepts: ['continuation-token'], operation: 'ListObjectsV2' },
  { method: 'GET', level: 'bucket', when: [], operation: 'ListObjects' },
  { method: 'DELETE', level: 'bucket', when: [], operation: 'DeleteBucket' },
  { method: 'POST', level: 'bucket', when: ['delete'], operation: 'DeleteMultipleObjects' },
  { method: 'POST', level: 'bucket', when: [], operation: 'PostObject' },

  // Multipart (UploadPart with x-oss-copy-source is UploadPartCopy, dispatched by upload-part.ts), append, restore.
  { method: 'POST', level: 'object', when: ['uploads'], accepts: ['sequential'], operation: 'InitiateMultipartUpload' },
  { method: 'PUT', level: 'object', when: ['partNumber', 'uploadId'], accepts: [TRAFFIC_LIMIT], operation: 'UploadPart' },
  { method: 'POST', level: 'object', when: ['uploadId'], operation: 'CompleteMultipartUpload' },
  { method: 'DELETE', level: 'object', when: ['uploadId'], operation: 'AbortMultipartUpload' },
  { method: 'GET', level: 'object', when: ['uploadId'], operation: 'ListParts' },
  { method: 'POST', level: 'object', when: ['append'], accepts: ['position', TRAFFIC_LIMIT], operation: 'AppendObject' },
  { method: 'POST', level: 'object', when: ['restore'], operation: 'RestoreObject' },
  { method: 'PUT', level: 'object', when: ['live', 'status'], operation: 'PutLiveChannelStatus' },
  { method: 'PUT', level: 'object', when: ['live'], operation: 'PutLiveChannel' },
  { method: 'PUT', level: 'object', when: ['acl'], operation: 'PutObjectAcl' },
  // response-* on a PUT is ignored by OSS (the Go SDK's TestSignURL presigns a PUT with response-content-encoding).
  {
    method: 'PUT',
    level: 'object',
    when: [],
    accepts: ['callback', 'callback-var', TRAFFIC_LIMIT, ...RESPONSE_OVERRIDES],
    operation: 'PutObject',
  },
  { method: 'GET', level: 'object', when: ['live', 'comp=stat'], operation: 'GetLiveChannelStat' },
  { method: 'GET', level: 'object', when: ['live', 'comp=history'], operation: 'GetLiveChannelHistory' },
  { method: 'GET', level: 'object', when: ['live'], operation: 'GetLiveChannelInfo' },
  { method: 'GET', level: 'object', when: ['vod'], accepts: VOD_SPAN, operation: 'GetVodPlaylist' },
  { method: 'GET', level: 'object', when: ['acl'], operation: 'GetObjectAcl' },
  { method: 'GET', level: 'object', when: ['objectMeta'], operation: 'GetObjectMeta' },
  { method: 'GET', level: 'object', when: ['x-oss-process=hls/sign'], operation: 'GetSignedPlaylist' },
  { method: 'GET', level: 'object', when: [], accepts: [...RESPONSE_OVERRIDES, TRAFFIC_LIMIT], operation: 'GetObject' },
  { method: 'HEAD', level: 'object', when: ['objectMeta'], operation: 'GetObjectMeta' },
  { method: 'HEAD', level: 'object', when: [], accepts: RESPONSE_OVERRIDES, operation: 'HeadObject' },
  { method: 'DELETE', level: 'object', when: ['live'], operation: 'DeleteLiveChannel' },
  { method: 'DELETE', level: 'object', when: [], operation: 'DeleteObject' },
  { method: 'POST', level: 'object', when: ['vod'], accepts: VOD_SPAN, operation: 'PostVodPlaylist' },
];

/** Query parameters of V1/V2/V4 header and presigned authentication: allowed on every operation. */
const AUTH_PARAMETERS: ReadonlySet<string> = new Set([
  'OSSAccessKeyId',
  'Expires',
  'Signature',
  'security-token',
  'x-oss-signature-version',
  'x-oss-credential',
  'x-oss-date',
  'x-oss-expires',
  'x-oss-signature',
  'x-oss-additional-headers',
  'x-oss-access-key-id',
  'x-oss-security-token',
]);

/** OSS sub-resources no SDK signs under V1 (so they are not in the signer's list), taken from the OSS API reference. */
const UNSIGNED_SUBRESOURCES: ReadonlySet<string> = new Set([
  'regions',
  'accessmonitor',
  'publicAccessBlock',
  'policyStatus',
  'httpsConfig',
  'bucketArchiveDirectRead',
  'redundancyTransition',
  'dataRedundancyTransition',
  'responseHeader',
  'userDefinedLogFieldsConfig',
  'overwriteConfig',
  'accessPoint',
  'accessPointPolicy',
  'accessPointForObjectProcess',
  'objectWormConfiguration',
  'reservedCapacity',
  'cleanRestoredObject',
  'select',
  'x-oss-async-process',
  'callbackPolicy',
  'retention',
  'legalHold',
]);

const isSubresource = (name: string): boolean => isV1Subresource(name) || UNSIGNED_SUBRESOURCES.has(name);

/** A `when` condition, parsed once: the parameter's name and, for `name=value`, the value it must have. */
interface Condition {
  name: string;
  value: string | undefined;
}

function parseCondition(condition: string): Condition {
  const eq = condition.indexOf('=');
  return eq === -1 ? { name: condition, value: undefined } : { name: condition.slice(0, eq), value: condition.slice(eq + 1) };
}

function matches(query: QueryPairs, condition: Condition): boolean {
  return condition.value === undefined ? hasQuery(query, condition.name) : queryValue(query, condition.name) === condition.value;
}

export type Detection = { operation: OperationName } | { unsupported: string };

/** OSS operations left out on purpose (see the README's gaps ledger): NotImplemented, naming the operation. */
const notImplemented: ReadonlyArray<Omit<Rule, 'operation'> & { name: string }> = [
  { method: 'PUT', level: 'bucket', when: ['versioning'], name: 'PutBucketVersioning' },
  { method: 'GET', level: 'bucket', when: ['versioning'], name: 'GetBucketVersioning' },
  { method: 'GET', level: 'bucket', when: ['versions'], name: 'ListObjectVersions' },
  { method: 'POST', level: 'bucket', when: ['worm'], name: 'InitiateBucketWorm' },
  { method: 'DELETE', level: 'bucket', when: ['worm'], name: 'AbortBucketWorm' },
  { method: 'POST', level: 'bucket', when: ['wormId'], name: 'CompleteBucketWorm' },
  { method: 'POST', level: 'bucket', when: ['wormExtend'], name: 'ExtendBucketWorm' },
  { method: 'GET', level: 'bucket', when: ['worm'], name: 'GetBucketWorm' },
  { method: 'PUT', level: 'bucket', when: ['inventory'], name: 'PutBucketInventory' },
  { method: 'GET', level: 'bucket', when: ['inventory', 'inventoryId'], name: 'GetBucketInventory' },
  { method: 'GET', level: 'bucket', when: ['inventory'], name: 'ListBucketInventory' },
  { method: 'DELETE', level: 'bucket', when: ['inventory'], name: 'DeleteBucketInventory' },
  { method: 'POST', level: 'bucket', when: ['replication', 'comp=add'], name: 'PutBucketReplication' },
  { method: 'POST', level: 'bucket', when: ['replication', 'comp=delete'], name: 'DeleteBucketReplication' },
  { method: 'GET', level: 'bucket', when: ['replication'], name: 'GetBucketReplication' },
  { method: 'GET', level: 'bucket', when: ['replicationLocation'], name: 'GetBucketReplicationLocation' },
  { method: 'GET', level: 'bucket', when: ['replicationProgress'], name: 'GetBucketReplicationProgress' },
  { method: 'GET', level: 'object', when: ['x-oss-process'], name: 'GetObject with x-oss-process (image/video processing)' },
  { method: 'POST', level: 'object', when: ['x-oss-process'], name: 'ProcessObject (x-oss-process)' },
  { method: 'POST', level: 'object', when: ['x-oss-async-process'], name: 'AsyncProcessObject (x-oss-async-process)' },
];

/** A row with its conditions parsed and the sub-resources it takes (its `when` names and `accepts`). */
type Compiled<R> = R & { conditions: readonly Condition[]; takes: ReadonlySet<string> };

/** The rows of each method and level, in table order (a request looks only at its own). */
function byMethodAndLevel<R extends Omit<Rule, 'operation'>>(rows: readonly R[]): Map<string, ReadonlyArray<Compiled<R>>> {
  const map = new Map<string, Array<Compiled<R>>>();
  for (const row of rows) {
    const conditions = row.when.map(parseCondition);
    const compiled = { ...row, conditions, takes: new Set([...conditions.map((c) => c.name), ...(row.accepts ?? [])]) };
    const id = `${row.method} ${row.level}`;
    const list = map.get(id);
    if (list) list.push(compiled);
    else map.set(id, [compiled]);
  }
  return map;
}
const rulesOf = byMethodAndLevel(rules);
const notImplementedOf = byMethodAndLevel(notImplemented);
const NONE: readonly never[] = [];

export function detectOperation(method: string, bucket: string | undefined, key: string, query: QueryPairs): Detection {
  const level: Level = bucket === undefined ? 'service' : key === '' ? 'bucket' : 'object';
  const id = `${method} ${level}`;
  const rule = (rulesOf.get(id) ?? NONE).find((r) => r.conditions.every((c) => matches(query, c)));
  const excluded = (notImplementedOf.get(id) ?? NONE).find((r) => r.conditions.every((c) => matches(query, c)));
  if (excluded && (!rule || rule.when.length === 0)) return { unsupported: excluded.name };
  const allowed = (name: string) => AUTH_PARAMETERS.has(name) || rule!.takes.has(name);
  const stray = query.find(([name]) => isSubresource(name) && (rule === undefined || !allowed(name)))?.[0];
  if (stray !== undefined) return { unsupported: `The ${method} ?${stray} operation` };
  if (rule) return { operation: rule.operation };
  return { unsupported: `${method} on a ${level}` };
}
