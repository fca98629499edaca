import { childText, parseXmlBody } from '../wire/xml.js';
import type { BucketRow } from '../../store/rows.js';
import { ossErrors } from '../wire/errors.js';
import { parseBucketAcl, validateBucketName } from '../wire/formats.js';
import { type Operation } from '../operation.js';

const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];

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
