import { childText, parseXmlBody } from '../wire/xml.js';
import type { NewBucket } from '../../store/rows.js';
import { ossErrors } from '../wire/errors.js';
import { parseBucketAcl, validateBucketName } from '../wire/formats.js';
import { type Operation, type OperationContext } from '../operation.js';
import { requestedEncryption } from '../objects/server-side-encryption.js';

const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];
const DATA_REDUNDANCY_TYPES = ['LRS', 'ZRS'];

/**
 * The bucket's default encryption given with `x-oss-server-side-encryption` (+ `-key-id`, `x-oss-server-side-data-encryption`),
 * stored as the same document PutBucketEncryption writes (GetBucketEncryption and GetBucketInfo read it back).
 */
function encryptionDocument(ctx: OperationContext): string | undefined {
  const requested = requestedEncryption(ctx.headers);
  if (!requested) return undefined;
  const { algorithm, keyId, dataEncryption } = requested;
  return JSON.stringify({
    ApplyServerSideEncryptionByDefault: {
      SSEAlgorithm: algorithm,
      ...(keyId !== undefined && { KMSMasterKeyID: keyId }),
      ...(dataEncryption !== undefined && { KMSDataEncryption: dataEncryption }),
    },
  });
}

export const putBucket: Operation = async (ctx) => {
  const name = ctx.bucket!;
  validateBucketName(name);
  const acl = parseBucketAcl(ctx.headers['x-oss-acl'] as string | undefined, 'private');
  let storageClass = 'Standard';
  let dataRedundancyType = 'LRS';
  const specified = { storageClass: false, dataRedundancyType: false };
  const body = await ctx.readBody(64 * 1024);
  if (body.length > 0) {
    const config = parseXmlBody(body, 'CreateBucketConfiguration');
    const requested = childText(config, 'StorageClass');
    if (requested !== undefined && requested !== '') {
      if (!STORAGE_CLASSES.includes(requested)) throw ossErrors.invalidArgument(`Unsupported storage class ${requested}.`);
      storageClass = requested;
      specified.storageClass = true;
    }
    const redundancy = childText(config, 'DataRedundancyType');
    if (redundancy !== undefined && redundancy !== '') {
      if (!DATA_REDUNDANCY_TYPES.includes(redundancy)) {
        throw ossErrors.invalidArgument('Invalid DataRedundancyType.', [
          ['ArgumentName', 'DataRedundancyType'],
          ['ArgumentValue', redundancy],
        ]);
      }
      dataRedundancyType = redundancy;
      specified.dataRedundancyType = true;
    }
  }
  const encryption = encryptionDocument(ctx);
  const row: NewBucket = { name, acl, storageClass, dataRedundancyType, createdMs: ctx.services.clock.now() };
  if (!ctx.services.store.createBucket(row, encryption === undefined ? {} : { encryption })) {
    refuseChangedBucket(ctx.services.store.getBucket(name), name, specified, row);
  }
  return { headers: { location: `/${name}` } };
};

/**
 * PutBucket of a bucket that exists. Every bucket of the emulator belongs to the one account, and OSS answers the
 * owner's repeated PutBucket with 200, changing nothing (oss2's test_object.py creates the same bucket twice and
 * expects no error); it refuses only a request that would change what cannot change: 409 BucketAlreadyExists with
 * the messages of OSS's "HTTP status code 409" page. A bucket deleted meanwhile is a plain conflict.
 */
function refuseChangedBucket(
  existing: { storageClass: string; dataRedundancyType?: string } | undefined,
  name: string,
  specified: { storageClass: boolean; dataRedundancyType: boolean },
  requested: NewBucket,
): void {
  if (!existing) throw ossErrors.bucketAlreadyExists(name);
  if (specified.storageClass && existing.storageClass !== requested.storageClass) {
    throw ossErrors.bucketAlreadyExists(name, "Cannot modify existing bucket's storage class.");
  }
  if (specified.dataRedundancyType && (existing.dataRedundancyType ?? 'LRS') !== requested.dataRedundancyType) {
    throw ossErrors.bucketAlreadyExists(name, "Bucket already exists can't modify data redundancy type.");
  }
}
