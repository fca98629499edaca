import type { XmlChild } from '../wire/xml.js';
import type { LiveStat } from '../live-publishes.js';
import { isoSeconds } from '../wire/formats.js';
import { requireChannel } from '../live-channel/channel-lookup.js';
import type { Operation } from '../operation.js';
import { int } from './report-integer.js';

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
