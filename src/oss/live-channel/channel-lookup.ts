import type { ChannelRow } from '../../store/rows.js';
import { ossErrors } from '../wire/errors.js';
import { requireBucket, type OperationContext } from '../operation.js';
import { validateChannelName } from './channel-name.js';

/** Bucket must exist, then the name must be valid (checked before existence, as OSS rejects a 65-byte name even on DELETE). */
export function requireChannelName(ctx: OperationContext, name: string): string {
  const bucket = requireBucket(ctx).name;
  validateChannelName(name);
  return bucket;
}

/** The channel named by the request, which must exist (NoSuchLiveChannel otherwise). */
export function requireChannel(ctx: OperationContext, name: string): ChannelRow {
  const bucket = requireChannelName(ctx, name);
  const row = ctx.services.store.getChannel(bucket, name);
  if (!row) throw ossErrors.noSuchLiveChannel();
  return row;
}
