import { ossErrors } from '../wire/errors.js';
import { requireChannel } from '../live-channel/channel-lookup.js';
import type { Operation } from '../operation.js';

/**
 * DeleteLiveChannel: 204, unless live (409 ChannelStillLive). A missing channel is 404 NoSuchLiveChannel, not the 204 one
 * C++ SDK test saw: SDK users expect to hear about a typo. Only the channel row goes: the ts/m3u8 objects stay (OSS
 * documents it), and so do its history and segment rows, which belong to the name: a channel re-created under
 * the same name sees its earlier history and can still build VOD playlists from the earlier segments.
 */
export const deleteLiveChannel: Operation = (ctx) => {
  const channel = requireChannel(ctx, ctx.key);
  if (ctx.services.live.isLive(channel.bucket, channel.name)) throw ossErrors.channelStillLive();
  ctx.services.store.deleteChannel(channel.bucket, channel.name);
  return { status: 204 };
};
