import type { Principal } from '../auth/authenticate.js';
import type { BucketAcl } from '../store/rows.js';
import type { Store } from '../store/store.js';
import type { OperationName } from './detect-operation.js';
import { ossErrors } from './wire/errors.js';

const readObject = new Set<OperationName>(['GetObject', 'HeadObject', 'GetObjectMeta']);
const writeObject = new Set<OperationName>([
  'PutObject', 'DeleteObject', 'DeleteMultipleObjects', 'InitiateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload',
  'AbortMultipartUpload', 'ListParts', 'AppendObject', 'RestoreObject',
]);
const listObjects = new Set<OperationName>(['ListObjects', 'ListObjectsV2', 'ListMultipartUploads']);

export const canRead = (acl: BucketAcl): boolean => acl === 'public-read' || acl === 'public-read-write';

/**
 * What an anonymous request may do, by bucket and object ACL, as OSS decides it. Signed requests act as the
 * owner of every bucket (the emulator has one account). LiveChannel management is never anonymous.
 */
export function authorize(operation: OperationName, principal: Principal, bucket: string | undefined, key: string, store: Store): void {
  if (principal.kind === 'user') return;
  if (operation === 'PutBucket' || operation === 'ListBuckets') throw ossErrors.anonymousDenied();
  const row = bucket === undefined ? undefined : store.getBucket(bucket);
  if (bucket !== undefined && !row) throw ossErrors.noSuchBucket(bucket);
  if (!row) throw ossErrors.anonymousDenied();
  if (readObject.has(operation)) {
    const object = store.getObject(row.name, key);
    const acl = object && object.acl !== 'default' ? object.acl : row.acl;
    if (canRead(acl)) return;
    throw ossErrors.accessDenied('You have no right to access this object because of bucket acl.');
  }
  if (writeObject.has(operation)) {
    if (row.acl === 'public-read-write') return;
    throw ossErrors.accessDenied('You have no right to access this object because of bucket acl.');
  }
  if (listObjects.has(operation)) {
    if (canRead(row.acl)) return;
    throw ossErrors.accessDenied('You have no right to access this bucket because of bucket acl.');
  }
  throw ossErrors.anonymousDenied();
}
