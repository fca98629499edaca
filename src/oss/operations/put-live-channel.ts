import { parseXmlBody } from '../wire/xml.js';
import { ossErrors } from '../wire/errors.js';
import { parseChannelConfig } from '../live-channel/channel-config.js';
import { bucketOfChannelRequest } from '../live-channel/channel-lookup.js';
import { channelUrls, channelUrlsXml, urlBaseOf } from '../live-channel/channel-urls.js';
import type { Operation } from '../operation.js';
import { checkBodyMd5 } from './object-metadata.js';

/** A LiveChannelConfiguration is a few hundred bytes; anything past this is refused while reading (EntityTooLarge). */
const MAX_CONFIG_BYTES = 64 * 1024;

/** PutLiveChannel: create, or overwrite with a full replace (defaults for what the body leaves out), unless live. */
export const putLiveChannel: Operation = async (ctx) => {
  const name = ctx.key;
  const bucket = bucketOfChannelRequest(ctx, name);
  const body = await ctx.readBody(MAX_CONFIG_BYTES);
  // ali-oss and Java send Content-MD5 with the body; verified as for objects.
  checkBodyMd5(ctx.headers, body);
  const config = parseChannelConfig(parseXmlBody(body, 'LiveChannelConfiguration'));
  const { store, live, clock } = ctx.services;
  // Checked after the body was read, and with no await before the write: the registry cannot change in between.
  if (live.isLive(bucket, name)) throw ossErrors.channelStillLive();
  store.putChannel({ bucket, name, ...config, lastModifiedMs: clock.now() });
  return {
    xml: {
      root: 'CreateLiveChannelResult',
      children: channelUrlsXml(channelUrls(urlBaseOf(ctx, bucket), bucket, name, config.playlistName)),
    },
  };
};
