/** Where and under which names a publisher connects. */
export interface RtmpTarget {
  host: string;
  port: number;
  /** connect's app, e.g. 'live' or 'mybucket/live'. */
  app: string;
  /** publish name with its raw query, e.g. 'chan?OSSAccessKeyId=…&Signature=…'. */
  publishName: string;
  /** rtmp://host[:port]/<app> */
  tcUrl: string;
}

export const RTMP_DEFAULT_PORT = 1935;

/**
 * Splits an RTMP URL as ffmpeg does (libavformat/rtmpproto.c rtmp_open): `/a/b` => app `a`, name `b`;
 * `/a/b/c` => app `a/b`, name `c` (a ':' in the second segment, as in `mp4:x/y`, keeps the app at one segment).
 * The query stays on the name, raw. Unlike ffmpeg, a '/' inside the query never moves the split.
 */
export function parseRtmpUrl(url: string): RtmpTarget {
  const m = /^rtmp:\/\/(?:[^@/?#]*@)?([^/?#]+)([^#]*)/i.exec(url);
  if (!m) throw new Error(`not an rtmp:// URL: ${url}`);
  const authority = m[1]!;
  const pathAndQuery = m[2]!;
  const { host, port } = splitAuthority(authority);

  const q = pathAndQuery.indexOf('?');
  const path = q >= 0 ? pathAndQuery.slice(0, q) : pathAndQuery;
  const query = q >= 0 ? pathAndQuery.slice(q) : '';
  const afterSlash = path.slice(1);
  const firstSlash = afterSlash.indexOf('/');
  if (!path.startsWith('/') || firstSlash < 0) throw new Error(`RTMP URL needs /<app>/<stream>: ${url}`);

  const rest = afterSlash.slice(firstSlash + 1);
  const secondSlash = rest.indexOf('/');
  const colon = rest.indexOf(':');
  const twoSegmentApp = secondSlash >= 0 && !(colon >= 0 && colon < secondSlash);
  const appLength = twoSegmentApp ? firstSlash + 1 + secondSlash : firstSlash;
  const app = afterSlash.slice(0, appLength);
  const name = afterSlash.slice(appLength + 1);
  if (name === '') throw new Error(`RTMP URL names no stream: ${url}`);
  return { host, port, app, publishName: name + query, tcUrl: `rtmp://${authority}/${app}` };
}

function splitAuthority(authority: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority);
  if (!m) throw new Error(`bad RTMP host: ${authority}`);
  const host = m[1]!.replace(/^\[|\]$/g, '');
  return { host, port: m[2] ? Number(m[2]) : RTMP_DEFAULT_PORT };
}
