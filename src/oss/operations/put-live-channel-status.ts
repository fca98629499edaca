import { queryValue } from '../wire/request-target.js';
import { ossErrors } from '../wire/errors.js';
import { parseChannelStatus } from '../live-channel/channel-config.js';
import { bucketOfChannelRequest } from '../live-channel/channel-lookup.js';
import type { Operation, OperationServices } from '../operation.js';

/**
 * OSS disconnects a live publisher about 10 s after its channel is disabled (config.disableGraceMs here). The status is
 * read again when the time is up: a channel enabled again meanwhile keeps its publisher.
 */
function kickAfterGrace(services: OperationServices, bucket: string, channel: string): void {
  const timer = setTimeout(() => {
    let status: string | undefined;
    try {
      status = services.store.getChannel(bucket, channel)?.status;
    } catch {
      return; // The emulator closed (store gone) before the grace ran out: nobody is left to kick.
    }
    if (status === 'disabled') services.live.get(bucket, channel)?.kick('channel disabled', 'disabled');
  }, services.config.disableGraceMs);
  timer.unref();
}

/** PutLiveChannelStatus: enabled | disabled, also while live (the only change allowed then); updates LastModified. */
export const putLiveChannelStatus: Operation = (ctx) => {
  const name = ctx.key;
  const bucket = bucketOfChannelRequest(ctx, name);
  const status = parseChannelStatus(queryValue(ctx.query, 'status') ?? '', 'status');
  const { store, live, clock } = ctx.services;
  if (!store.setChannelStatus(bucket, name, status, clock.now())) throw ossErrors.noSuchLiveChannel();
  if (status === 'disabled' && live.isLive(bucket, name)) kickAfterGrace(ctx.services, bucket, name);
  return {};
};
