import { createHash } from 'node:crypto';
import { M3U8_CONTENT_TYPE } from '../../media/hls/m3u8.js';
import { etagOf } from '../../store/store.js';
import { requireChannel } from '../live-channel/channel-lookup.js';
import { parseVodSpan, segmentsInVodSpan, vodPlaylistText } from '../live-channel/vod-playlist.js';
import type { Operation } from '../operation.js';

export const getVodPlaylist: Operation = (ctx) => {
  const channel = requireChannel(ctx, ctx.key);
  const segments = segmentsInVodSpan(ctx.services.store, channel.bucket, channel.name, parseVodSpan(ctx.query));
  const body = Buffer.from(vodPlaylistText(channel.name, segments), 'utf8');
  return {
    headers: { 'content-type': M3U8_CONTENT_TYPE, etag: etagOf(createHash('md5').update(body).digest()) },
    body,
  };
};
