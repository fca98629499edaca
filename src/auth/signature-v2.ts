import crypto from 'node:crypto';
import type { QueryPairs } from '../oss/wire/request-target.js';
import { uriEncode } from './signature-v4.js';

export const V2_VERSION = 'OSS2';

export interface V2StringToSignInput {
  method: string;
  /** The Date header for header auth; the x-oss-expires value for presigned URLs. */
  date: string;
  /** Lowercase header name -> value. */
  headers: Readonly<Record<string, string>>;
  /** Lowercase names from AdditionalHeaders / x-oss-additional-headers. */
  additionalHeaders: readonly string[];
  bucket: string | undefined;
  key: string | undefined;
  /** Every query parameter (minus x-oss-signature for presigned URLs): V2 signs them all, not just sub-resources. */
  query: QueryPairs;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedOSSHeaders AdditionalHeaders \n CanonicalizedResource, as
 * oss2 ProviderAuthV2 and the Go SDK (AuthV2) build it: x-oss-* and the additional headers `name:value\n` sorted; the
 * resource is `/<bucket>/<key>` percent-encoded whole (`/` too), then `?` and every parameter, encoded, sorted by name.
 */
export function v2StringToSign(input: V2StringToSignInput): string {
  const additional = [...new Set(input.additionalHeaders)].sort(compare);
  const extra = new Set(additional);
  const headerLines = Object.keys(input.headers)
    .filter((name) => name.startsWith('x-oss-') || extra.has(name))
    .sort(compare)
    .map((name) => `${name}:${(input.headers[name] ?? '').trim()}\n`)
    .join('');
  return [
    input.method,
    input.headers['content-md5'] ?? '',
    input.headers['content-type'] ?? '',
    input.date,
    `${headerLines}${additional.join(';')}`,
    v2CanonicalResource(input.bucket, input.key, input.query),
  ].join('\n');
}

export function v2CanonicalResource(bucket: string | undefined, key: string | undefined, query: QueryPairs): string {
  const path = uriEncode(bucket ? `/${bucket}/${key ?? ''}` : '/', false);
  // The SDKs build the query from a map: one value per name, the first if a client repeats one.
  const seen = new Map<string, string>();
  for (const [name, value] of query) {
    const encoded = uriEncode(name, false);
    if (!seen.has(encoded)) seen.set(encoded, uriEncode(value, false));
  }
  if (seen.size === 0) return path;
  const params = [...seen.entries()].sort((a, b) => compare(a[0], b[0]));
  return `${path}?${params.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&')}`;
}

/** base64(HMAC-SHA256(secret, stringToSign)). */
export function v2Signature(secret: string, stringToSign: string): string {
  return crypto.createHmac('sha256', secret).update(stringToSign, 'utf8').digest('base64');
}

export interface ParsedV2Authorization {
  accessKeyId: string;
  additionalHeaders: string[];
  signature: string;
}

/** `OSS2 AccessKeyId:<id>[,AdditionalHeaders:<h1;h2>],Signature:<sig>`; undefined for anything else. */
export function parseV2Authorization(value: string): ParsedV2Authorization | undefined {
  if (!value.startsWith(`${V2_VERSION} `)) return undefined;
  const fields = new Map<string, string>();
  for (const field of value.slice(V2_VERSION.length + 1).split(',')) {
    const colon = field.indexOf(':');
    const name = field.slice(0, colon).trim();
    if (colon < 0 || fields.has(name) || !['AccessKeyId', 'AdditionalHeaders', 'Signature'].includes(name)) return undefined;
    fields.set(name, field.slice(colon + 1).trim());
  }
  const accessKeyId = fields.get('AccessKeyId') ?? '';
  const signature = fields.get('Signature') ?? '';
  if (accessKeyId === '' || signature === '') return undefined;
  const additionalHeaders = (fields.get('AdditionalHeaders') ?? '')
    .split(';')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return { accessKeyId, additionalHeaders, signature };
}
