import { CONFIG_BODY_MAX_BYTES } from '../bucket-config-docs.js';
import { requireBucket, type Operation } from '../operation.js';
import { ossErrors } from '../wire/errors.js';

const MAX_POLICY_BYTES = 16 * 1024;

/**
 * PUT /?policy: a JSON bucket policy, checked for shape (Version, a Statement list with Effect/Action/Resource) and
 * stored as sent. Not enforced: the emulator has one account (see the gaps ledger).
 */
export const putBucketPolicy: Operation = async (ctx) => {
  const bucket = requireBucket(ctx);
  const body = await ctx.readBody(CONFIG_BODY_MAX_BYTES);
  if (body.length > MAX_POLICY_BYTES) throw ossErrors.invalidPolicyDocument(`The policy document exceeds ${MAX_POLICY_BYTES} bytes.`);
  let policy: unknown;
  try {
    policy = JSON.parse(body.toString('utf8'));
  } catch {
    throw ossErrors.invalidPolicyDocument('The policy document is not valid JSON.');
  }
  const statements = (policy as { Statement?: unknown } | null)?.Statement;
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy) || !Array.isArray(statements) || statements.length === 0) {
    throw ossErrors.invalidPolicyDocument('The policy document must be an object with a non-empty Statement list.');
  }
  for (const s of statements as Array<Record<string, unknown>>) {
    if (
      typeof s !== 'object' ||
      s === null ||
      (s.Effect !== 'Allow' && s.Effect !== 'Deny') ||
      s.Action === undefined ||
      s.Resource === undefined
    ) {
      throw ossErrors.invalidPolicyDocument('Each Statement needs Effect (Allow or Deny), Action and Resource.');
    }
  }
  ctx.services.store.bucketConfigs.put(bucket.name, 'policy', body.toString('utf8'));
  return {};
};

/** GET /?policy: the policy as put (application/json), or 404 NoSuchBucketPolicy. */
export const getBucketPolicy: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  const policy = ctx.services.store.bucketConfigs.get(bucket.name, 'policy');
  if (policy === undefined) throw ossErrors.noSuchBucketPolicy(bucket.name);
  return { headers: { 'content-type': 'application/json' }, body: policy };
};

/** DELETE /?policy: 204 whether or not the bucket had one. */
export const deleteBucketPolicy: Operation = (ctx) => {
  const bucket = requireBucket(ctx);
  ctx.services.store.bucketConfigs.delete(bucket.name, 'policy');
  return { status: 204 };
};
