// Test-only helpers: load ali-oss (CommonJS, no bundled types) and turn what it would put on the wire into
// the AuthInput the HTTP layer hands to authenticate(): decoded path and query, '+' kept literal (spec §2.3).
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import type { AuthInput } from '../../src/auth/authenticate.js';

const require = createRequire(import.meta.url);

export interface CapturedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** The parts of an ali-oss client these tests call. */
export interface AliOssClient {
  putChannel(id: string, conf: object): Promise<unknown>;
  getChannel(id: string): Promise<unknown>;
  deleteChannel(id: string): Promise<unknown>;
  putChannelStatus(id: string, status: string): Promise<unknown>;
  getChannelStatus(id: string): Promise<unknown>;
  listChannels(query: Record<string, string | number | undefined>): Promise<unknown>;
  getChannelHistory(id: string): Promise<unknown>;
  createVod(id: string, name: string, time: { startTime: number; endTime: number }): Promise<unknown>;
  put(name: string, content: Buffer): Promise<unknown>;
  get(name: string): Promise<unknown>;
  listV2(query: Record<string, string | number>): Promise<unknown>;
  getRtmpUrl(channel: string, options?: { expires?: number; params?: Record<string, string> }): string;
  signatureUrl(name: string, options?: Record<string, unknown>): string;
  signatureUrlV4(
    method: string,
    expires: number,
    request?: { headers?: Record<string, string>; queries?: Record<string, string | null> },
    objectName?: string,
    additionalHeaders?: string[],
  ): Promise<string>;
}

export interface AliOssSignUtils {
  buildCanonicalString(method: string, resource: string, request: { headers: object; parameters?: object }, expires?: string): string;
  computeSignature(secret: string, canonicalString: string): string;
  getCanonicalRequest(
    method: string,
    request: { headers: Record<string, string>; queries?: Record<string, string | null> },
    bucket?: string,
    object?: string,
    additionalHeaders?: string[],
  ): string;
  getStringToSign(region: string, date: string, canonicalRequest: string): string;
  getSignatureV4(secret: string, date: string, region: string, stringToSign: string): string;
}

type AliOssCtor = new (options: Record<string, unknown>) => AliOssClient;

export const OSS = require('ali-oss') as AliOssCtor;
/** The very module object ali-oss's client calls into, so wrapping its functions observes the client. */
export const signUtils = require('ali-oss/lib/common/signUtils.js') as AliOssSignUtils;

/** A client whose HTTP layer records requests instead of sending them (ali-oss's `urllib` option). */
export function capturingClient(options: Record<string, unknown>): { client: AliOssClient; sent: CapturedRequest[] } {
  const sent: CapturedRequest[] = [];
  const urllib = {
    request: async (url: string, params: { method: string; headers: Record<string, unknown> }) => {
      const headers: Record<string, string> = {};
      // Node lower-cases header names and stringifies values on the server side.
      for (const [k, v] of Object.entries(params.headers)) if (v !== undefined) headers[k.toLowerCase()] = String(v);
      sent.push({ method: params.method, url, headers });
      return { status: 500, headers: {}, data: Buffer.from(''), res: { status: 500, headers: {} } };
    },
  };
  const client = new OSS({ accessKeyId: 'ak', accessKeySecret: 'test-secret', bucket: 'examplebucket', ...options, urllib });
  return { client, sent };
}

/** Runs an SDK call whose (fake) response is an error, keeping only the request it sent. */
export async function sendOne(sent: CapturedRequest[], call: () => Promise<unknown>): Promise<CapturedRequest> {
  const before = sent.length;
  await call().catch(() => undefined);
  const req = sent[before];
  if (req === undefined || sent.length !== before + 1) throw new Error('expected exactly one request');
  return req;
}

export function decode(s: string): string {
  return decodeURIComponent(s);
}

export function parseQuery(search: string): Array<[string, string]> {
  return search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [decode(p), ''] : [decode(p.slice(0, eq)), decode(p.slice(eq + 1))];
    });
}

/**
 * Bucket from a virtual-hosted Host (ali-oss overrides Host to `<bucket>.oss-…` even for IP endpoints),
 * else path-style. Mirrors the resolution order of spec §2.2.
 */
export function toAuthInput(req: CapturedRequest): AuthInput {
  const url = new URL(req.url);
  const host = (req.headers['host'] ?? url.host).replace(/:\d+$/, '');
  const path = decode(url.pathname.replace(/^\//, ''));
  let bucket: string | undefined;
  let key: string;
  if (isIP(host) === 0 && host.includes('.')) {
    bucket = host.split('.')[0];
    key = path;
  } else {
    const slash = path.indexOf('/');
    bucket = slash < 0 ? path || undefined : path.slice(0, slash);
    key = slash < 0 ? '' : path.slice(slash + 1);
  }
  return { method: req.method, bucket, key, query: parseQuery(url.search), headers: req.headers };
}
