import type { XmlChild } from '../wire/xml.js';
import { isoSeconds } from '../wire/formats.js';
import { requireChannel } from '../live-channel/channel-lookup.js';
import type { Operation } from '../operation.js';

const HISTORY_LIMIT = 10;

/**
 * GetLiveChannelHistory: the 10 most recent finished publishes, listed oldest first. Every OSS sample lists ascending
 * StartTime (the "newest first" is not what the samples show), so the newest 10 are taken and then reversed.
 * A publish still in progress is not listed: it has no EndTime yet.
 */
export const getLiveChannelHistory: Operation = (ctx) => {
  const c = requireChannel(ctx, ctx.key);
  const newestFirst = ctx.services.store.recentPublishes(c.bucket, c.name, HISTORY_LIMIT);
  return {
    xml: {
      root: 'LiveChannelHistory',
      children: newestFirst.reverse().map((p): XmlChild => [
        'LiveRecord',
        [
          ['StartTime', isoSeconds(p.startMs)],
          ['EndTime', isoSeconds(p.endMs!)],
          ['RemoteAddr', p.remoteAddr],
        ],
      ]),
    },
  };
};
