import { PLAYLIST_SUFFIX } from '../live-channel/playlist-name.js';
import { M3U8_CONTENT_TYPE } from '../../media/hls/m3u8.js';
import { ossErrors } from '../wire/errors.js';
import { requireChannel } from '../live-channel/channel-lookup.js';
import { parseVodSpan, segmentsInVodSpan, vodPlaylistText } from '../live-channel/vod-playlist.js';
import { requireBucket, type Operation } from '../operation.js';

export const postVodPlaylist: Operation = (ctx) => {
  // The key arrives decoded (oss2 and Go send `%2F`), so the first `/` always separates channel and playlist.
  const slash = ctx.key.indexOf('/');
  const channelName = slash === -1 ? ctx.key : ctx.key.slice(0, slash);
  const playlist = slash === -1 ? '' : ctx.key.slice(slash + 1);
  // OSS answers "no ts file in the span" (400, EC 0044-00000308) before anything else it checks, even for a channel that
  // no longer exists (ali-oss's test posts on a just-deleted channel and expects that 400); only the bucket comes first.
  const bucket = requireBucket(ctx).name;
  const segments = segmentsInVodSpan(ctx.services.store, bucket, channelName, parseVodSpan(ctx.query));
  const channel = requireChannel(ctx, channelName);
  // OSS's 400 page lists this message under InvalidRequest; the Code is unconfirmed, InvalidArgument as the other checks.
  if (!playlist.endsWith(PLAYLIST_SUFFIX)) {
    throw ossErrors.invalidArgument('Playlist name must ends with ".m3u8".', [
      ['ArgumentName', 'PlaylistName'],
      ['ArgumentValue', playlist],
    ]);
  }
  // Relative ts URIs are only right for a playlist directly in the channel folder (PutLiveChannel forbids `/` too).
  if (playlist.includes('/')) {
    throw ossErrors.invalidArgument('Playlist name must not contain "/".', [
      ['ArgumentName', 'PlaylistName'],
      ['ArgumentValue', playlist],
    ]);
  }
  const text = vodPlaylistText(channel.name, segments);
  const object = ctx.services.store.putObjectBytes(channel.bucket, `${channel.name}/${playlist}`, [Buffer.from(text, 'utf8')], {
    contentType: M3U8_CONTENT_TYPE,
    lastModifiedMs: ctx.services.clock.now(),
  });
  return { headers: { etag: object.etag } };
};

/** GetVodPlaylist: `GET /<channel>?vod&startTime&endTime` answers the same m3u8 directly; nothing is stored. */
