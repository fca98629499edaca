import crypto from 'node:crypto';
import type { QueryPairs } from '../oss/wire/request-target.js';

export const V4_ALGORITHM = 'OSS4-HMAC-SHA256';
const TERMINATOR = 'aliyun_v4_request';

/** The credential scope `<yyyymmdd>/<region>/<product>/aliyun_v4_request`; region is the bare one (cn-hangzhou). */
export interface V4Scope {
  date: string;
  region: string;
  /** `oss`, or `oss-cloudbox` for CloudBox. */
  product: string;
}

/** How an empty query value is written; 'bare' is what oss2, Go and Java do (`k`), see canonicalQuery. */
export type EmptyValueStyle = 'bare' | 'equals' | 'omit';

export interface V4CanonicalRequestInput {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  /** Decoded query pairs, minus `x-oss-signature` for presigned URLs. */
  query: QueryPairs;
  /** Lowercase header name -> value. */
  headers: Readonly<Record<string, string>>;
  /** Lowercase names from AdditionalHeaders / x-oss-additional-headers. */
  additionalHeaders: readonly string[];
  /** Style per empty-valued parameter; defaults to 'bare' for all. */
  emptyValueStyle?: (name: string) => EmptyValueStyle;
}

/** RFC 3986 encoding over UTF-8 bytes (A-Z a-z 0-9 - _ . ~ kept), upper-case hex; '/' kept when asked (the URI). */
export function uriEncode(s: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `/` (service), `/<bucket>/` (bucket) or `/<bucket>/<key>`, encoded with '/' kept: the bucket is always in it, even path-less IP-mode requests. */
export function canonicalUri(bucket: string | undefined, key: string | undefined): string {
  if (bucket === undefined || bucket === '') return '/';
  return uriEncode(`/${bucket}/${key ?? ''}`, true);
}

/** Every query parameter, key and value encoded, sorted by encoded key (then value), joined by '&'. */
export function canonicalQuery(query: QueryPairs, emptyValueStyle: (name: string) => EmptyValueStyle = () => 'bare'): string {
  const parts: Array<readonly [string, string]> = [];
  for (const [name, value] of query) {
    const style = value === '' ? emptyValueStyle(name) : 'bare';
    if (style === 'omit') continue;
    parts.push([uriEncode(name, false), value === '' && style === 'bare' ? '' : `=${uriEncode(value, false)}`]);
  }
  parts.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return parts.map(([k, v]) => k + v).join('&');
}

/** `name:trimmed-value\n` for x-oss-*, content-type, content-md5 and the present additional headers, sorted. */
export function canonicalHeaders(headers: Readonly<Record<string, string>>, additionalHeaders: readonly string[]): string {
  const extra = new Set(additionalHeaders);
  return Object.keys(headers)
    .filter((n) => n.startsWith('x-oss-') || n === 'content-type' || n === 'content-md5' || extra.has(n))
    .sort(compare)
    .map((n) => `${n}:${(headers[n] ?? '').trim()}\n`)
    .join('');
}

/** The sorted, de-duplicated AdditionalHeaders line (oss2 lists them unsorted in the header but signs them sorted). */
export function additionalHeadersLine(additionalHeaders: readonly string[]): string {
  return [...new Set(additionalHeaders)].sort(compare).join(';');
}

export function v4CanonicalRequest(input: V4CanonicalRequestInput): string {
  return [
    input.method,
    canonicalUri(input.bucket, input.key),
    canonicalQuery(input.query, input.emptyValueStyle),
    canonicalHeaders(input.headers, input.additionalHeaders),
    additionalHeadersLine(input.additionalHeaders),
    input.headers['x-oss-content-sha256'] || 'UNSIGNED-PAYLOAD',
  ].join('\n');
}

export function scopeString(scope: V4Scope): string {
  return `${scope.date}/${scope.region}/${scope.product}/${TERMINATOR}`;
}

/** `timestamp` is sent verbatim: x-oss-date normally, the Date header for Go v1 (which sends no x-oss-date). */
export function v4StringToSign(timestamp: string, scope: V4Scope, canonicalRequest: string): string {
  const hashed = crypto.createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  return `${V4_ALGORITHM}\n${timestamp}\n${scopeString(scope)}\n${hashed}`;
}

export function v4SigningKey(secret: string, scope: V4Scope): Buffer {
  const step = (key: string | Buffer, data: string) => crypto.createHmac('sha256', key).update(data, 'utf8').digest();
  return step(step(step(step(`aliyun_v4${secret}`, scope.date), scope.region), scope.product), TERMINATOR);
}

/** hex(HMAC-SHA256(signingKey, stringToSign)). */
export function v4Signature(secret: string, scope: V4Scope, stringToSign: string): string {
  return crypto.createHmac('sha256', v4SigningKey(secret, scope)).update(stringToSign, 'utf8').digest('hex');
}

/** `<AccessKeyId>/<yyyymmdd>/<region>/<product>/aliyun_v4_request`, parsed from the right so the id is whatever precedes. */
export function parseCredential(credential: string): { accessKeyId: string; scope: V4Scope } | undefined {
  const parts = credential.split('/');
  if (parts.length < 5) return undefined;
  const [date, region, product, terminator] = parts.slice(-4) as [string, string, string, string];
  const accessKeyId = parts.slice(0, -4).join('/');
  // An empty region parses: the verifier answers it as OSS does (Invalid signing region), not as a malformed header.
  if (!/^\d{8}$/.test(date) || product === '' || terminator !== TERMINATOR || accessKeyId === '') {
    return undefined;
  }
  return { accessKeyId, scope: { date, region, product } };
}

export interface ParsedV4Authorization {
  accessKeyId: string;
  scope: V4Scope;
  additionalHeaders: string[];
  signature: string;
}

/**
 * `OSS4-HMAC-SHA256 Credential=…[,AdditionalHeaders=h1;h2],Signature=…`. Fields may be separated by
 * ", " (oss2) or "," (go-v2, ali-oss, Java) and come in any order (oss2 puts AdditionalHeaders last).
 * Returns undefined for any malformed value.
 */
export function parseV4Authorization(value: string): ParsedV4Authorization | undefined {
  if (!value.startsWith(`${V4_ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const field of value.slice(V4_ALGORITHM.length + 1).split(',')) {
    const eq = field.indexOf('=');
    const name = field.slice(0, eq).trim();
    if (eq < 0 || fields.has(name) || !['Credential', 'AdditionalHeaders', 'Signature'].includes(name)) return undefined;
    fields.set(name, field.slice(eq + 1).trim());
  }
  const credential = parseCredential(fields.get('Credential') ?? '');
  const signature = fields.get('Signature') ?? '';
  if (credential === undefined || signature === '') return undefined;
  return { ...credential, additionalHeaders: splitHeaderList(fields.get('AdditionalHeaders') ?? ''), signature };
}

/** `h1;h2` -> lowercase names, empty entries dropped. */
export function splitHeaderList(list: string): string[] {
  return list
    .split(';')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}

/** The header value go-v2/ali-oss send; for tests and tools that sign requests against the emulator. */
export function v4AuthorizationHeader(a: ParsedV4Authorization): string {
  const extra = a.additionalHeaders.length > 0 ? `,AdditionalHeaders=${additionalHeadersLine(a.additionalHeaders)}` : '';
  return `${V4_ALGORITHM} Credential=${a.accessKeyId}/${scopeString(a.scope)}${extra},Signature=${a.signature}`;
}

export interface V4PresignInput {
  accessKeyId: string;
  accessKeySecret: string;
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  query: QueryPairs;
  headers: Readonly<Record<string, string>>;
  additionalHeaders: readonly string[];
  region: string;
  product?: string;
  /** Signing time, ms since epoch. */
  nowMs: number;
  expiresSeconds: number;
}

/** The query a V4 presigned URL carries (x-oss-signature last), as go-v2 authQuery / ali-oss signatureUrlV4 build it. */
export function presignV4(input: V4PresignInput): Array<readonly [string, string]> {
  const timestamp = formatV4Timestamp(input.nowMs);
  const scope: V4Scope = { date: timestamp.slice(0, 8), region: input.region, product: input.product ?? 'oss' };
  const signed: Array<readonly [string, string]> = [
    ...input.query,
    ['x-oss-signature-version', V4_ALGORITHM],
    ['x-oss-credential', `${input.accessKeyId}/${scopeString(scope)}`],
    ['x-oss-date', timestamp],
    ['x-oss-expires', String(input.expiresSeconds)],
  ];
  if (input.additionalHeaders.length > 0) {
    signed.push(['x-oss-additional-headers', additionalHeadersLine(input.additionalHeaders)]);
  }
  const canonical = v4CanonicalRequest({ ...input, query: signed });
  const signature = v4Signature(input.accessKeySecret, scope, v4StringToSign(timestamp, scope, canonical));
  return [...signed, ['x-oss-signature', signature]];
}

/** yyyymmddTHHMMSSZ (ISO 8601 basic, UTC). */
export function formatV4Timestamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
