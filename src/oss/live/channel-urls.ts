import { isIP } from 'node:net';
import { hostnameOf } from '../../http/request-target.js';
import type { XmlChild } from '../../http/xml.js';

/** How the client reached us: the URLs handed out follow the same host and addressing style. */
export interface UrlBase {
  /** host[:port] the client used (or the configured public host). */
  publicHost: string;
  pathStyle: boolean;
}

export interface ChannelUrls {
  publishUrl: string;
  playUrl: string;
}

/** Percent-encodes like an object key in a URL, keeping `/` (spec §5.1 recommendation; ali-oss `_escape` does the same). */
export const encodeKey = (key: string): string => encodeURIComponent(key).replace(/%2F/g, '/');

/**
 * `<scheme>://<bucket host><bucket path>`: virtual-hosted `bucket.<host>` when the client used that style, path-style
 * `<host>/bucket` otherwise — and also when the host is an IP literal, which cannot take a bucket label (ali-oss with an IP
 * endpoint is virtual-hosted by its Host header, yet the URL must point at the IP it reached).
 */
function bucketBase(base: UrlBase, bucket: string): { host: string; path: string } {
  const hostname = hostnameOf(base.publicHost);
  if (base.pathStyle || isIP(hostname.replace(/^\[|\]$/g, '')) !== 0) return { host: base.publicHost, path: `/${encodeKey(bucket)}` };
  // A virtual-hosted Host (`bucket.localhost:8080`) already names the bucket.
  if (hostname.startsWith(`${bucket.toLowerCase()}.`)) return { host: base.publicHost, path: '' };
  return { host: `${bucket}.${base.publicHost}`, path: '' };
}

/**
 * The unsigned RTMP publish URL and HTTP play URL of a channel (PutLiveChannel, ListLiveChannel). The RTMP URL carries the
 * HTTP host:port on purpose: the HTTP port also accepts RTMP, and the SDKs build signed RTMP URLs from the HTTP endpoint.
 */
export function channelUrls(base: UrlBase, bucket: string, channel: string, playlistName: string): ChannelUrls {
  const { host, path } = bucketBase(base, bucket);
  return {
    publishUrl: `rtmp://${host}${path}/live/${encodeKey(channel)}`,
    playUrl: `http://${host}${path}/${encodeKey(channel)}/${encodeKey(playlistName)}`,
  };
}

/** `<PublishUrls><Url>…</Url></PublishUrls><PlayUrls><Url>…</Url></PlayUrls>`, exactly one Url each (spec §5.1). */
export const channelUrlsXml = (urls: ChannelUrls): XmlChild[] => [
  ['PublishUrls', [['Url', urls.publishUrl]]],
  ['PlayUrls', [['Url', urls.playUrl]]],
];
