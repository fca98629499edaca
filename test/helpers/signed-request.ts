/** Hand-signed raw requests (OSS V1 header form), for what the SDK cannot or will not send. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { v1SignedHeaders } from '../../src/auth/signature-v1.js';
import type { Emulator } from '../../src/emulator.js';
import { encodeKey } from '../../src/oss/live-channel/channel-urls.js';

export interface RawRequest {
  method: string;
  bucket: string;
  /** Decoded key ('' for bucket level). */
  key?: string;
  query?: ReadonlyArray<readonly [string, string]>;
  body?: string | Buffer;
  contentType?: string;
  /** Sent as Content-MD5 and signed. */
  contentMd5?: string;
  /** `x-oss-*` headers, sent and signed. */
  ossHeaders?: Record<string, string>;
  /** Extra unsigned headers (Range, If-*), sent as given. */
  headers?: Record<string, string>;
  /** Sends `Host: <bucket>.<this>` (virtual-hosted style) instead of putting the bucket in the path. */
  virtualHost?: string;
  /** The path as sent, when the test needs a particular encoding (e.g. `ch%2Fvod.m3u8`); signing still uses `key`. */
  rawKey?: string;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

const queryString = (query: ReadonlyArray<readonly [string, string]>): string =>
  query.map(([k, v]) => (v === '' ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&');

/** A request signed with OSS V1 (header form), sent with node:http so an early error reply to a large body is still read. */
export function signedRequest(emu: Emulator, req: RawRequest): Promise<RawResponse> {
  const key = req.key ?? '';
  const query = req.query ?? [];
  const encodedKey = req.rawKey ?? encodeKey(key);
  const path = req.virtualHost !== undefined ? `/${encodedKey}` : `/${req.bucket}/${encodedKey}`;
  const endpoint = new URL(emu.endpoint);
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const headers: Record<string, string | number> = {
    ...v1SignedHeaders({
      ...emu,
      method: req.method,
      bucket: req.bucket,
      key,
      query,
      contentType: req.contentType,
      contentMd5: req.contentMd5,
      ossHeaders: req.ossHeaders,
    }),
    'content-length': body?.length ?? 0,
  };
  Object.assign(headers, req.headers);
  if (req.virtualHost !== undefined) headers.host = `${req.bucket}.${req.virtualHost}`;
  return new Promise((resolve, reject) => {
    let answered = false;
    const r = httpRequest(
      {
        host: endpoint.hostname,
        port: endpoint.port,
        method: req.method,
        path: query.length ? `${path}?${queryString(query)}` : path,
        headers,
        agent: false,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    // The server may close while we still write an oversized body; the reply already received is what counts.
    r.on('error', (err) => {
      if (!answered) reject(err);
    });
    r.end(body);
  });
}

/** Status, Code, Message and EC of an OSS error reply. */
export function errorOf(res: RawResponse): { status: number; code: string; message: string; ec: string | undefined } {
  const parsed = new XMLParser({ parseTagValue: false }).parse(res.text) as { Error?: Record<string, string> };
  const e = parsed.Error ?? {};
  return { status: res.status, code: e.Code ?? '', message: e.Message ?? '', ec: e.EC };
}
