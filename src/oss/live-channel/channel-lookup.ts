import type { ChannelRow } from '../../store/rows.js';
import { ossErrors } from '../wire/errors.js';
import { requireBucket, type OperationContext } from '../operation.js';
import { validateChannelName } from './channel-name.js';

/**
 * The name of the request's bucket, once the bucket exists and the channel name is valid (the name is checked before
 * the channel's existence, as OSS rejects a 65-byte name even on DELETE).
 */
export function bucketOfChannelRequest(ctx: OperationContext, name: string): string {
  const bucket = requireBucket(ctx).name;
  validateChannelName(name);
  return bucket;
}

/** The channel named by the request, which must exist (NoSuchLiveChannel otherwise). */
export function requireChannel(ctx: OperationContext, name: string): ChannelRow {
  const bucket = bucketOfChannelRequest(ctx, name);
  const row = ctx.services.store.getChannel(bucket, name);
  if (!row) throw ossErrors.noSuchLiveChannel();
  return row;
}
