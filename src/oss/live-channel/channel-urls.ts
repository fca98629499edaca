import { isIP } from 'node:net';
import { hostnameOf } from '../wire/request-target.js';
import type { XmlChild } from '../wire/xml.js';
import type { OperationConfig } from '../operation.js';

/** Where the URLs handed out point: the service endpoint (no bucket label) and the addressing style. */
export interface UrlBase {
  /** host[:port] of the endpoint, e.g. `127.0.0.1:8080` or `localhost:8080`. */
  endpointHost: string;
  pathStyle: boolean;
}

export interface ChannelUrls {
  publishUrl: string;
  playUrl: string;
}

/** Percent-encodes like an object key in a URL, keeping `/` (ali-oss `_escape` does the same). */
export const encodeKey = (key: string): string => encodeURIComponent(key).replace(/%2F/g, '/');

const isIpHost = (host: string): boolean => isIP(hostnameOf(host).replace(/^\[|\]$/g, '')) !== 0;

/**
 * The URL base for a request: its addressing style, except that an IP endpoint cannot take a bucket label and so is
 * path style (ali-oss with an IP endpoint is virtual-hosted by its Host header, yet must be sent to the IP), unless
 * urlStyle 'oss' asks for OSS's own form, `<bucket>.<host>`, whether or not it resolves.
 */
export function urlBaseOf(
  ctx: { publicHost: string; pathStyle: boolean; services: { config: Pick<OperationConfig, 'publicHost' | 'urlStyle'> } },
  bucket: string,
): UrlBase {
  // Unless configured, a virtual-hosted request's public host is its own Host header, `<bucket>.<endpoint>`.
  const hostNamesBucket =
    ctx.services.config.publicHost === undefined && !ctx.pathStyle && hostnameOf(ctx.publicHost).startsWith(`${bucket}.`);
  const endpointHost = hostNamesBucket ? ctx.publicHost.slice(bucket.length + 1) : ctx.publicHost;
  if (ctx.services.config.urlStyle === 'oss') return { endpointHost, pathStyle: false };
  return { endpointHost, pathStyle: ctx.pathStyle || isIpHost(endpointHost) };
}

/**
 * The unsigned RTMP publish URL and HTTP play URL of a channel (PutLiveChannel, ListLiveChannel). The RTMP URL carries the
 * HTTP host:port on purpose: the HTTP port also accepts RTMP, and the SDKs build signed RTMP URLs from the HTTP endpoint.
 */
export function channelUrls(base: UrlBase, bucket: string, channel: string, playlistName: string): ChannelUrls {
  const host = base.pathStyle ? base.endpointHost : `${bucket}.${base.endpointHost}`;
  const path = base.pathStyle ? `/${encodeKey(bucket)}` : '';
  return {
    publishUrl: `rtmp://${host}${path}/live/${encodeKey(channel)}`,
    playUrl: `http://${host}${path}/${encodeKey(channel)}/${encodeKey(playlistName)}`,
  };
}

/** `<PublishUrls><Url>…</Url></PublishUrls><PlayUrls><Url>…</Url></PlayUrls>`, exactly one Url each, as in OSS's PutLiveChannel response. */
export const channelUrlsXml = (urls: ChannelUrls): XmlChild[] => [
  ['PublishUrls', [['Url', urls.publishUrl]]],
  ['PlayUrls', [['Url', urls.playUrl]]],
];
