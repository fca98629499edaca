import { queryValue } from '../wire/request-target.js';
import type { XmlChild } from '../wire/xml.js';
import { ossErrors } from '../wire/errors.js';
import { isoSeconds, parseMaxKeys } from '../wire/formats.js';
import { channelUrls, channelUrlsXml, urlBaseOf } from '../live-channel/channel-urls.js';
import { requireBucket, type Operation } from '../operation.js';

const DEFAULT_MAX_KEYS = 100;
const MAX_MAX_KEYS = 1000;
const MAX_PREFIX_BYTES = 1024;

/** ListLiveChannel's own max-keys error: EC 0044-00000101. */
const invalidMaxKeys = (raw: string) =>
  ossErrors.liveArgument(
    `The max-keys must be an integer between 1 and ${MAX_MAX_KEYS}, got ${JSON.stringify(raw)}.`,
    101,
    'max-keys',
    raw,
  );

/** ListLiveChannel: names in byte order strictly after marker, with prefix; NextMarker only when truncated. */
export const listLiveChannel: Operation = (ctx) => {
  const bucket = requireBucket(ctx).name;
  const prefix = queryValue(ctx.query, 'prefix') ?? '';
  const marker = queryValue(ctx.query, 'marker') ?? '';
  if (Buffer.byteLength(prefix, 'utf8') > MAX_PREFIX_BYTES) {
    throw ossErrors.liveArgument(`The prefix must be at most ${MAX_PREFIX_BYTES} bytes long.`, 102, 'prefix', prefix);
  }
  const maxKeys = parseMaxKeys(queryValue(ctx.query, 'max-keys'), DEFAULT_MAX_KEYS, MAX_MAX_KEYS, 'max-keys', invalidMaxKeys);
  const rows = ctx.services.store.listChannels(bucket, prefix, marker, maxKeys);
  const isTruncated = rows.length > maxKeys;
  const urlBase = urlBaseOf(ctx, bucket);
  const page = rows.slice(0, maxKeys);
  return {
    xml: {
      root: 'ListLiveChannelResult',
      children: [
        ['Prefix', prefix],
        ['Marker', marker],
        ['MaxKeys', maxKeys],
        ['IsTruncated', isTruncated],
        isTruncated && ['NextMarker', page[page.length - 1]!.name],
        ...page.map((c): XmlChild => [
          'LiveChannel',
          [
            ['Name', c.name],
            ['Description', c.description],
            ['Status', c.status],
            ['LastModified', isoSeconds(c.lastModifiedMs)],
            ...channelUrlsXml(channelUrls(urlBase, bucket, c.name, c.playlistName)),
          ],
        ]),
      ],
    },
  };
};
