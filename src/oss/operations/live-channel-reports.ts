import type { XmlChild } from '../../http/xml.js';
import type { LiveStat } from '../../live/live-registry.js';
import { isoSeconds } from '../formats.js';
import { requireChannel } from '../live/channel-lookup.js';
import type { Operation } from '../operation.js';

/** GetLiveChannelInfo: the stored configuration, defaults filled in; Snapshot only when one is configured. */
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
const int = (n: number): number => (Number.isFinite(n) ? Math.round(n) : 0);

const liveStatXml = (s: LiveStat): XmlChild[] => [
  ['ConnectedTime', isoSeconds(s.connectedMs)],
  ['RemoteAddr', s.remoteAddr],
  s.video !== undefined && [
    'Video',
    [
      ['Width', int(s.video.width)],
      ['Height', int(s.video.height)],
      ['FrameRate', int(s.video.frameRate)],
      ['Bandwidth', int(s.video.bandwidth)],
      ['Codec', s.video.codec],
    ],
  ],
  s.audio !== undefined && [
    'Audio',
    [
      ['Bandwidth', int(s.audio.bandwidth)],
      ['SampleRate', int(s.audio.sampleRate)],
      ['Codec', s.audio.codec],
    ],
  ],
];

/**
 * GetLiveChannelStat: `Disabled` whenever the configuration is disabled (even during the kick grace), else `Live` with the
 * publisher's facts, else `Idle`. Idle and Disabled carry nothing but Status (Go cannot parse an empty ConnectedTime).
 */
export const getLiveChannelStat: Operation = (ctx) => {
  const c = requireChannel(ctx, ctx.key);
  const publish = c.status === 'disabled' ? undefined : ctx.services.live.get(c.bucket, c.name);
  const children: XmlChild[] =
    c.status === 'disabled'
      ? [['Status', 'Disabled']]
      : publish === undefined
        ? [['Status', 'Idle']]
        : [['Status', 'Live'], ...liveStatXml(publish.stat())];
  return { xml: { root: 'LiveChannelStat', children } };
};

const HISTORY_LIMIT = 10;

/**
 * GetLiveChannelHistory: the 10 most recent finished publishes, listed oldest first. Every OSS sample lists ascending
 * StartTime (the "newest first" is not what the samples show), so the newest 10 are taken and then reversed.
 * A publish still in progress is not listed: it has no EndTime yet (spec §5.7 recommendation).
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
