import crypto from 'node:crypto';
import type { QueryPairs } from '../oss/wire/request-target.js';
import { isV1Subresource } from './subresources.js';

export interface V1StringToSignInput {
  method: string;
  contentMd5: string;
  contentType: string;
  /** The Date line: x-oss-date / Date for header auth, the Expires value for presigned URLs. */
  date: string;
  /** Lowercase header name -> value; only `x-oss-*` names are used. */
  ossHeaders: Readonly<Record<string, string>>;
  bucket: string | undefined;
  /** Decoded object key; '' or undefined for bucket level. */
  key: string | undefined;
  /** Query pairs; non-sub-resources are dropped here, so the whole query may be passed. */
  subresources: QueryPairs;
}

export interface V1SignedHeadersInput {
  accessKeyId: string;
  accessKeySecret: string;
  method: string;
  bucket: string;
  /** Decoded object key; '' for bucket level. */
  key: string;
  query: QueryPairs;
  contentType?: string;
  contentMd5?: string;
  /** The Date header; now by default. */
  date?: string;
  /** `x-oss-*` headers to send and sign (e.g. `x-oss-acl`). */
  ossHeaders?: Readonly<Record<string, string>>;
}

/**
 * The headers that sign a request the way the SDKs do (`Date`, `Authorization: OSS id:signature`, plus the signed
 * Content-Type/Content-MD5 when given): for the CLI's own requests, test helpers and benchmarks.
 */
export function v1SignedHeaders(input: V1SignedHeadersInput): Record<string, string> {
  const date = input.date ?? new Date().toUTCString();
  const contentType = input.contentType ?? '';
  const contentMd5 = input.contentMd5 ?? '';
  const stringToSign = v1StringToSign({
    method: input.method,
    contentMd5,
    contentType,
    date,
    ossHeaders: input.ossHeaders ?? {},
    bucket: input.bucket,
    key: input.key,
    subresources: input.query,
  });
  const headers: Record<string, string> = {
    ...input.ossHeaders,
    date,
    authorization: `OSS ${input.accessKeyId}:${hmacSha1Base64(input.accessKeySecret, stringToSign)}`,
  };
  if (contentType) headers['content-type'] = contentType;
  if (contentMd5) headers['content-md5'] = contentMd5;
  return headers;
}

export interface V1PresignInput {
  accessKeyId: string;
  accessKeySecret: string;
  method: string;
  bucket: string;
  key: string;
  /** Unix seconds. */
  expires: number;
  /** Extra query pairs (signed when they are sub-resources). */
  query?: QueryPairs;
}

/** `OSSAccessKeyId=…&Expires=…&Signature=…` (URL-encoded) for a V1 presigned URL, as the SDKs' signatureUrl builds it. */
export function presignV1Query(input: V1PresignInput): string {
  const stringToSign = v1StringToSign({
    method: input.method,
    contentMd5: '',
    contentType: '',
    date: String(input.expires),
    ossHeaders: {},
    bucket: input.bucket,
    key: input.key,
    subresources: input.query ?? [],
  });
  const signature = hmacSha1Base64(input.accessKeySecret, stringToSign);
  return `OSSAccessKeyId=${encodeURIComponent(input.accessKeyId)}&Expires=${input.expires}&Signature=${encodeURIComponent(signature)}`;
}

/**
 * VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedOSSHeaders CanonicalizedResource,
 * as oss2 ProviderAuth.__get_string_to_sign and ali-oss signUtils.buildCanonicalString build it.
 */
export function v1StringToSign(input: V1StringToSignInput): string {
  return (
    `${input.method}\n${input.contentMd5}\n${input.contentType}\n${input.date}\n` +
    canonicalizedOssHeaders(input.ossHeaders) +
    canonicalizedResource(input.bucket, input.key, input.subresources)
  );
}

/** Every `x-oss-*` header, sorted by name, `name:value\n` each; values trimmed as ali-oss and Go do. */
export function canonicalizedOssHeaders(headers: Readonly<Record<string, string>>): string {
  // Called with every header of a request (a handful of x-oss-* among them): one pass, nothing built for the others.
  let names: string[] | undefined;
  for (const name in headers) {
    // (the first letter tested alone first: most names are not x-…)
    if (name.length > 6 && (name.charCodeAt(0) | 0x20) === 0x78 && name.slice(0, 6).toLowerCase() === 'x-oss-') (names ??= []).push(name);
  }
  if (names === undefined) return '';
  const line = (name: string) => `${name.toLowerCase()}:${String(headers[name]).trim()}\n`;
  if (names.length === 1) return line(names[0]!);
  // Sorted by name (not by line: `x-oss-a:` must come before `x-oss-a-b:`).
  const sorted = names.map((name) => [name.toLowerCase(), name] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return sorted.map(([, name]) => line(name)).join('');
}

/**
 * `/` (service), `/<bucket>/` (bucket) or `/<bucket>/<decoded key>`, then `?` + the signed
 * sub-resources sorted by name, `name=value` or bare `name` when the value is empty (raw, not encoded).
 */
export function canonicalizedResource(bucket: string | undefined, key: string | undefined, query: QueryPairs): string {
  const path = bucket === undefined || bucket === '' ? '/' : `/${bucket}/${key ?? ''}`;
  let signed: Array<readonly [string, string]> | undefined;
  for (const pair of query) {
    // SDKs build the query from a map, so a name appears once; keep the first if a client repeats it.
    if (isV1Subresource(pair[0]) && (signed === undefined || !hasName(signed, pair[0]))) (signed ??= []).push(pair);
  }
  if (signed === undefined) return path;
  if (signed.length > 1) signed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let resource = `${path}?`;
  for (let i = 0; i < signed.length; i++) {
    const [k, v] = signed[i]!;
    resource += `${i === 0 ? '' : '&'}${v === '' ? k : `${k}=${v}`}`;
  }
  return resource;
}

function hasName(pairs: ReadonlyArray<readonly [string, string]>, name: string): boolean {
  for (const pair of pairs) if (pair[0] === name) return true;
  return false;
}

/**
 * base64(HMAC-SHA1(secret, s)) over UTF-8 bytes: the V1 header, V1 presigned and RTMP signature. Remembered per secret
 * for the last few hundred strings: a client repeating a request within the same second (players polling a playlist,
 * one presigned URL fetched again, retries) signs the same string, and the HMAC was a tenth of such a request's CPU.
 * Only our own expected value is remembered; callers still compare it with what the client sent in constant time.
 */
export function hmacSha1Base64(secret: string, s: string): string {
  const entry = secretEntry(secret);
  let signature = entry.signatures.get(s);
  if (signature === undefined) {
    signature = crypto.createHmac('sha1', entry.key).update(s, 'utf8').digest('base64');
    if (s.length <= MAX_REMEMBERED_LENGTH) {
      if (entry.signatures.size >= MAX_REMEMBERED_SIGNATURES) entry.signatures.clear();
      entry.signatures.set(s, signature);
    }
  }
  return signature;
}

const MAX_REMEMBERED_SIGNATURES = 512;
/** Strings to sign longer than this (POST policies, many x-oss-* headers) are signed each time. */
const MAX_REMEMBERED_LENGTH = 2048;

interface SecretEntry {
  /** The HMAC key object: not rebuilt from the string on every request. */
  key: crypto.KeyObject;
  /** String to sign -> base64 signature. */
  signatures: Map<string, string>;
}

/** By secret (a handful of credentials per process). */
const secrets = new Map<string, SecretEntry>();
function secretEntry(secret: string): SecretEntry {
  let entry = secrets.get(secret);
  if (!entry) {
    if (secrets.size >= 64) secrets.clear();
    entry = { key: crypto.createSecretKey(Buffer.from(secret, 'utf8')), signatures: new Map() };
    secrets.set(secret, entry);
  }
  return entry;
}
