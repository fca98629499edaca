// Hand-signed OSS requests (V1 header signature) for benchmark setup and load: the emulator's own signer, so what
// we send is exactly what an SDK would.
import http from 'node:http';
import { v1SignedHeaders } from '../../src/auth/signature-v1.js';
import { signRtmpUrl } from '../../src/auth/rtmp-signature.js';

export interface OssEndpoint {
  host: string;
  httpPort: number;
  rtmpPort: number;
  accessKeyId: string;
  accessKeySecret: string;
}

export interface OssRequest {
  method: string;
  bucket: string;
  /** Object key or channel name; '' for bucket level. Must not need percent-encoding. */
  key?: string;
  /** Query pairs; a bare sub-resource is [name, '']. */
  query?: ReadonlyArray<readonly [string, string]>;
  contentType?: string;
  body?: Buffer | string | StreamedBody;
  /** Date header value; defaults to now. A signed request stays valid for 15 minutes of clock skew. */
  date?: string;
  /** `x-oss-*` headers to send and sign (e.g. `x-oss-acl`). */
  ossHeaders?: Readonly<Record<string, string>>;
  /** Send no Authorization at all (an anonymous request, e.g. to a public-read bucket). */
  anonymous?: boolean;
}

/** A body written while the request is sent (a 1 GiB upload without holding it): `write` sends `size` bytes, then ends. */
export interface StreamedBody {
  size: number;
  write(request: http.ClientRequest): void;
}

const isStreamed = (body: OssRequest['body']): body is StreamedBody => typeof body === 'object' && !Buffer.isBuffer(body);

const queryString = (query: OssRequest['query']): string =>
  query && query.length ? `?${query.map(([k, v]) => (v === '' ? k : `${k}=${encodeURIComponent(v)}`)).join('&')}` : '';

/** Path-style request target, e.g. `/bucket/channel?live&comp=stat`. */
export const requestPath = (req: OssRequest): string => `/${req.bucket}/${req.key ?? ''}${queryString(req.query)}`;

/** Date, Content-Type and `Authorization: OSS id:signature` for the request. */
export function signedHeaders(endpoint: OssEndpoint, req: OssRequest): Record<string, string> {
  if (req.anonymous) return { date: req.date ?? new Date().toUTCString(), ...req.ossHeaders };
  return v1SignedHeaders({
    ...endpoint,
    method: req.method,
    bucket: req.bucket,
    key: req.key ?? '',
    query: req.query ?? [],
    contentType: req.contentType,
    date: req.date,
    ossHeaders: req.ossHeaders,
  });
}

/** The whole HTTP/1.1 request as bytes (keep-alive), for the raw-socket load generator and the fuzzer. */
export function rawRequest(endpoint: OssEndpoint, req: OssRequest): Buffer {
  if (isStreamed(req.body)) throw new Error('rawRequest builds whole requests; a streamed body goes through ossRequest');
  const body = req.body === undefined ? Buffer.alloc(0) : Buffer.from(req.body);
  const headers = { host: `${endpoint.host}:${endpoint.httpPort}`, ...signedHeaders(endpoint, req), 'content-length': String(body.length) };
  if (req.method === 'GET' || req.method === 'HEAD') delete (headers as Record<string, string>)['content-length'];
  const head = `${req.method} ${requestPath(req)} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

export interface OssResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Sends one signed request with node:http (a streamed body with backpressure) and reads the whole answer. */
export function ossRequest(endpoint: OssEndpoint, req: OssRequest): Promise<OssResponse> {
  const streamed = isStreamed(req.body) ? req.body : undefined;
  const body = req.body === undefined || streamed ? undefined : Buffer.from(req.body as Buffer | string);
  const length = streamed ? streamed.size : body?.length;
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: endpoint.host,
        port: endpoint.httpPort,
        method: req.method,
        path: requestPath(req),
        headers: { ...signedHeaders(endpoint, req), ...(length !== undefined ? { 'content-length': String(length) } : {}) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    request.on('error', reject);
    request.setTimeout(30_000, () => request.destroy(new Error(`${req.method} ${requestPath(req)} timed out`)));
    if (streamed) streamed.write(request);
    else request.end(body);
  });
}

/** Like ossRequest, but throws unless the status is 2xx. */
export async function ossOk(endpoint: OssEndpoint, req: OssRequest): Promise<OssResponse> {
  const res = await ossRequest(endpoint, req);
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${req.method} ${requestPath(req)} -> ${res.status}: ${res.body.toString('utf8').slice(0, 500)}`);
  }
  return res;
}

export interface ChannelSettings {
  fragDuration: number;
  fragCount: number;
  playlistName: string;
}

export const DEFAULT_CHANNEL: ChannelSettings = { fragDuration: 2, fragCount: 3, playlistName: 'playlist.m3u8' };

export async function createBucket(endpoint: OssEndpoint, bucket: string): Promise<void> {
  await ossOk(endpoint, { method: 'PUT', bucket });
}

/** PutLiveChannel, as the SDKs send it. */
export async function createChannel(endpoint: OssEndpoint, bucket: string, channel: string, settings = DEFAULT_CHANNEL): Promise<void> {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<LiveChannelConfiguration><Description>bench</Description><Status>enabled</Status>' +
    `<Target><Type>HLS</Type><FragDuration>${settings.fragDuration}</FragDuration><FragCount>${settings.fragCount}</FragCount>` +
    `<PlaylistName>${settings.playlistName}</PlaylistName></Target></LiveChannelConfiguration>`;
  await ossOk(endpoint, { method: 'PUT', bucket, key: channel, query: [['live', '']], contentType: 'application/xml', body: xml });
}

/** A signed RTMP publish URL on the dedicated RTMP port, valid for an hour. */
export function publishUrl(endpoint: OssEndpoint, bucket: string, channel: string, port = endpoint.rtmpPort): string {
  return signRtmpUrl({
    accessKeyId: endpoint.accessKeyId,
    accessKeySecret: endpoint.accessKeySecret,
    bucket,
    channel,
    expires: Math.floor(Date.now() / 1000) + 3600,
    base: `rtmp://${endpoint.host}:${port}/${bucket}/live/${channel}`,
  });
}
