import { requireChannel } from '../live-channel/channel-lookup.js';
import type { Operation } from '../operation.js';

export const getLiveChannelInfo: Operation = (ctx) => {
  const c = requireChannel(ctx, ctx.key);
  return {
    xml: {
      root: 'LiveChannelConfiguration',
      children: [
        ['Description', c.description],
        ['Status', c.status],
        [
          'Target',
          [
            ['Type', c.type],
            ['FragDuration', c.fragDuration],
            ['FragCount', c.fragCount],
            ['PlaylistName', c.playlistName],
          ],
        ],
        c.snapshot !== undefined && [
          'Snapshot',
          [
            ['RoleName', c.snapshot.roleName],
            ['DestBucket', c.snapshot.destBucket],
            ['NotifyTopic', c.snapshot.notifyTopic],
            ['Interval', c.snapshot.interval],
          ],
        ],
      ],
    },
  };
};

// oss2 int() and Java Integer.parseInt every number of Video/Audio: a frame rate of 29.97 would crash them.
