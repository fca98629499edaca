import { isIP } from 'node:net';
import { ossErrors } from './errors.js';

/** Query parameters in arrival order, decoded; a bare `?live` and `?live=` both give ['live', '']. */
export type QueryPairs = ReadonlyArray<readonly [string, string]>;

export interface RequestTarget {
  /** undefined = service level (ListBuckets). */
  bucket: string | undefined;
  /** Decoded object key or channel path; '' = bucket level. */
  key: string;
  query: QueryPairs;
  /** True when the bucket came from the path (`/bucket/key`), false when from the Host header. */
  pathStyle: boolean;
}

export interface ResolveOptions {
  /** Domains under which `<bucket>.<domain>` is virtual-hosted style. */
  baseDomains: readonly string[];
  /** The bucket is known to exist (lets `<bucket>.<any host>` work too). */
  bucketExists(name: string): boolean;
}

function decode(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw ossErrors.invalidArgument(`The ${what} is not a valid percent-encoded UTF-8 string.`);
  }
}

/** Splits a raw query string without turning `+` into a space (SDKs send a literal `+` as %2B). */
export function parseQuery(raw: string): QueryPairs {
  if (!raw) return [];
  const pairs: [string, string][] = [];
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = decode(eq === -1 ? part : part.slice(0, eq), 'query string');
    const value = eq === -1 ? '' : decode(part.slice(eq + 1), 'query string');
    pairs.push([name, value]);
  }
  return pairs;
}

export const hostnameOf = (host: string): string => {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
};

/** A regional OSS endpoint (`oss-cn-hangzhou.aliyuncs.com`, `-internal`, `oss-accelerate…`): never a bucket's host. */
const OSS_SERVICE_ENDPOINT = /^oss-[a-z0-9-]+\.aliyuncs\.com$/;

/**
 * The bucket named by a Host header, if the request is virtual-hosted style.
 * `<bucket>.localhost`, `<bucket>.oss-cn-hangzhou.aliyuncs.com` (ali-oss sends this Host even for an IP endpoint),
 * `<bucket>.<configured domain>`, or `<bucket>.<anything>` when that bucket exists.
 */
export function bucketFromHost(hostname: string, options: ResolveOptions): string | undefined {
  if (!hostname || isIP(hostname.replace(/^\[|\]$/g, '')) !== 0) return undefined;
  const dot = hostname.indexOf('.');
  if (dot <= 0) return undefined;
  // `oss-cn-hangzhou.aliyuncs.com` is a service endpoint, not a bucket under aliyuncs.com.
  if (OSS_SERVICE_ENDPOINT.test(hostname)) return undefined;
  const label = hostname.slice(0, dot);
  const rest = hostname.slice(dot + 1);
  for (const domain of options.baseDomains) {
    if (rest === domain) return label;
    if (rest.endsWith(`.${domain}`)) return label;
  }
  return options.bucketExists(label) ? label : undefined;
}

/** Resolves bucket, key and query the way OSS does for both addressing styles. */
export function resolveTarget(host: string, rawUrl: string, options: ResolveOptions): RequestTarget {
  const q = rawUrl.indexOf('?');
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = parseQuery(q === -1 ? '' : rawUrl.slice(q + 1));
  if (!rawPath.startsWith('/')) throw ossErrors.invalidArgument('The request path must start with "/".');

  let hostBucket = bucketFromHost(hostnameOf(host), options);
  // ali-oss with an IP endpoint and no bucket (ListBuckets) sends `Host: undefined.oss-<region>.aliyuncs.com`.
  if (hostBucket === 'undefined' && !options.bucketExists('undefined')) hostBucket = undefined;
  if (hostBucket !== undefined) {
    return { bucket: hostBucket, key: decode(rawPath.slice(1), 'object name'), query, pathStyle: false };
  }
  const slash = rawPath.indexOf('/', 1);
  const rawBucket = slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash);
  if (!rawBucket) return { bucket: undefined, key: '', query, pathStyle: true };
  // OSS's own endpoints take buckets only as a subdomain (the Go SDK's TestForcePathStyle and oss2's
  // test_bucket_path_style expect this refusal); an IP, localhost or any other name keeps path style.
  if (OSS_SERVICE_ENDPOINT.test(hostnameOf(host))) throw ossErrors.secondLevelDomainForbidden();
  return {
    bucket: decode(rawBucket, 'bucket name'),
    key: slash === -1 ? '' : decode(rawPath.slice(slash + 1), 'object name'),
    query,
    pathStyle: true,
  };
}

/** First value of a query parameter, or undefined. */
export const queryValue = (query: QueryPairs, name: string): string | undefined => query.find(([k]) => k === name)?.[1];
export const hasQuery = (query: QueryPairs, name: string): boolean => query.some(([k]) => k === name);
