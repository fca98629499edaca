import type { Principal } from '../auth/authenticate.js';
import type { BucketAcl, BucketRow, ObjectAcl } from '../store/rows.js';
import type { Store } from '../store/store.js';
import type { OperationName } from './detect-operation.js';
import { ossErrors } from './wire/errors.js';

/**
 * What an anonymous request needs, per operation. OSS documents that an object's own ACL takes precedence over its
 * bucket's ACL (`default` = inherit the bucket's): a private object in a public-read-write bucket cannot be
 * overwritten or deleted anonymously, and a public-read-write object in a private bucket can. A key with no object
 * yet (a create) is decided by the bucket ACL. Listings are decided by the bucket ACL. Everything else is owner-only.
 */
export type AnonymousAccess = 'read-object' | 'write-object' | 'list-bucket' | 'owner-only';

/** THE table: operation -> what an anonymous caller needs. Operations not listed are owner-only. */
export const anonymousAccess: Readonly<Partial<Record<OperationName, AnonymousAccess>>> = {
  GetObject: 'read-object',
  HeadObject: 'read-object',
  GetObjectMeta: 'read-object',
  PutObject: 'write-object',
  AppendObject: 'write-object',
  DeleteObject: 'write-object',
  DeleteMultipleObjects: 'write-object', // per listed key, in the operation (see authorizeObjectWrites)
  InitiateMultipartUpload: 'write-object',
  UploadPart: 'write-object',
  CompleteMultipartUpload: 'write-object',
  AbortMultipartUpload: 'write-object',
  ListParts: 'write-object',
  RestoreObject: 'write-object',
  ListObjects: 'list-bucket',
  ListObjectsV2: 'list-bucket',
  ListMultipartUploads: 'list-bucket',
};

/** Which effective ACL values allow each kind of anonymous access. */
const allowedBy: Readonly<Record<AnonymousAccess, readonly BucketAcl[]>> = {
  'read-object': ['public-read', 'public-read-write'],
  'write-object': ['public-read-write'],
  'list-bucket': ['public-read', 'public-read-write'],
  'owner-only': [],
};

export const canRead = (acl: BucketAcl): boolean => allowedBy['read-object'].includes(acl);

/** The ACL that decides: the object's own unless it is `default` (or there is no object yet), else the bucket's. */
export const effectiveAcl = (bucketAcl: BucketAcl, objectAcl: ObjectAcl | undefined): BucketAcl =>
  objectAcl !== undefined && objectAcl !== 'default' ? objectAcl : bucketAcl;

/** The whole rule as a pure function: may an anonymous caller do `operation` here? (`objectAcl` undefined = no object) */
export function anonymousMay(operation: OperationName, bucketAcl: BucketAcl, objectAcl: ObjectAcl | undefined): boolean {
  const access = anonymousAccess[operation] ?? 'owner-only';
  const acl = access === 'list-bucket' ? bucketAcl : effectiveAcl(bucketAcl, objectAcl);
  return allowedBy[access].includes(acl);
}

const denied = (access: AnonymousAccess, objectAcl: ObjectAcl | undefined) =>
  access === 'owner-only'
    ? ossErrors.anonymousDenied()
    : access === 'list-bucket'
      ? ossErrors.accessDenied('You have no right to access this bucket because of bucket acl.')
      : ossErrors.accessDenied(
          objectAcl !== undefined && objectAcl !== 'default'
            ? 'You have no right to access this object because of object acl.'
            : 'You have no right to access this object because of bucket acl.',
        );

function check(operation: OperationName, bucket: BucketRow, key: string, store: Store): void {
  const access = anonymousAccess[operation] ?? 'owner-only';
  const objectAcl = access === 'read-object' || access === 'write-object' ? store.getObject(bucket.name, key)?.acl : undefined;
  if (!anonymousMay(operation, bucket.acl, objectAcl)) throw denied(access, objectAcl);
}

/**
 * What an anonymous request may do, by bucket and object ACL, as OSS decides it. Signed requests act as the
 * owner of every bucket (the emulator has one account). LiveChannel management is never anonymous.
 */
export function authorize(operation: OperationName, principal: Principal, bucket: string | undefined, key: string, store: Store): void {
  if (principal.kind === 'user') return;
  // A form upload signs its policy in the form (or is anonymous on a public-read-write bucket): checked by the operation.
  if (operation === 'PostObject') return;
  if (operation === 'PutBucket' || operation === 'ListBuckets') throw ossErrors.anonymousDenied();
  const row = bucket === undefined ? undefined : store.getBucket(bucket);
  if (bucket !== undefined && !row) throw ossErrors.noSuchBucket(bucket);
  if (!row) throw ossErrors.anonymousDenied();
  if (operation === 'DeleteMultipleObjects') return; // decided per key once the body is read
  check(operation, row, key, store);
}

/** DeleteMultipleObjects: every listed key must be writable, or nothing is deleted. */
export function authorizeObjectWrites(
  operation: OperationName,
  principal: Principal,
  bucket: BucketRow,
  keys: readonly string[],
  store: Store,
): void {
  if (principal.kind === 'user') return;
  for (const key of keys) check(operation, bucket, key, store);
}
