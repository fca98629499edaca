import type { IncomingHttpHeaders } from 'node:http';
import type { Store } from '../../store/store.js';
import { readBucketConfig } from '../bucket-config-docs.js';
import { ossErrors } from '../wire/errors.js';
import { childNode, childNodes, childText, childTexts, parseXmlBody, type XmlChild } from '../wire/xml.js';
import { wildcardMatches } from '../wildcard.js';

/** A bucket's hotlink protection (PutBucketReferer). */
export interface RefererConfiguration {
  allowEmptyReferer: boolean;
  allowTruncateQueryString: boolean;
  truncatePath: boolean;
  refererList: string[];
  refererBlacklist: string[];
}

/** What GetBucketReferer answers for a bucket that never had one: everything allowed. */
export const DEFAULT_REFERER: RefererConfiguration = {
  allowEmptyReferer: true,
  allowTruncateQueryString: true,
  truncatePath: false,
  refererList: [],
  refererBlacklist: [],
};

const bool = (node: Parameters<typeof childText>[0], name: string, fallback: boolean): boolean => {
  const text = childText(node, name);
  if (text === undefined || text === '') return fallback;
  if (text !== 'true' && text !== 'false')
    throw ossErrors.invalidArgument(`${name} must be true or false.`, [
      ['ArgumentName', name],
      ['ArgumentValue', text],
    ]);
  return text === 'true';
};

const listOf = (node: Parameters<typeof childText>[0], name: string): string[] =>
  childNodes(node, name)
    .flatMap((list) => childTexts(list, 'Referer'))
    .filter((r) => r !== '');

/** PutBucketReferer body -> configuration (AllowEmptyReferer required, lists optional). */
export function parseRefererConfiguration(body: Buffer): RefererConfiguration {
  const root = parseXmlBody(body, 'RefererConfiguration');
  if (typeof root === 'string' || childText(root, 'AllowEmptyReferer') === undefined) throw ossErrors.malformedXml();
  const config: RefererConfiguration = {
    allowEmptyReferer: bool(root, 'AllowEmptyReferer', true),
    allowTruncateQueryString: bool(root, 'AllowTruncateQueryString', true),
    truncatePath: bool(root, 'TruncatePath', false),
    refererList: listOf(root, 'RefererList'),
    refererBlacklist: listOf(root, 'RefererBlacklist'),
  };
  if (childNode(root, 'RefererList') !== undefined && Array.isArray(childNode(root, 'RefererList'))) throw ossErrors.malformedXml();
  if (config.truncatePath && !config.allowTruncateQueryString) {
    throw ossErrors.invalidArgument('TruncatePath requires AllowTruncateQueryString to be true.', [
      ['ArgumentName', 'TruncatePath'],
      ['ArgumentValue', 'true'],
    ]);
  }
  if (config.refererList.length + config.refererBlacklist.length > 100) throw ossErrors.invalidArgument('Too many referers: at most 100.');
  return config;
}

/** GetBucketReferer body (RefererList always present: ali-oss reads RefererList.Referer). */
export function refererConfigurationXml(config: RefererConfiguration): XmlChild[] {
  return [
    ['AllowEmptyReferer', config.allowEmptyReferer],
    ['AllowTruncateQueryString', config.allowTruncateQueryString],
    ['TruncatePath', config.truncatePath],
    ['RefererList', config.refererList.map((r): XmlChild => ['Referer', r])],
    config.refererBlacklist.length > 0 && ['RefererBlacklist', config.refererBlacklist.map((r): XmlChild => ['Referer', r])],
  ];
}

/** The referer as compared: without its query string (AllowTruncateQueryString) and path (TruncatePath) when asked. */
function comparable(referer: string, config: RefererConfiguration): string {
  let value = referer;
  if (config.allowTruncateQueryString) value = value.replace(/[?#].*$/s, '');
  if (config.truncatePath) value = value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/]*).*$/is, '$1');
  return value;
}

/** `*` and `?` wildcards, case-insensitive; a pattern without a scheme also matches the referer without its scheme. */
function matchesAny(patterns: readonly string[], referer: string): boolean {
  const withoutScheme = referer.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  return patterns.some(
    (p) =>
      wildcardMatches(p, referer, { ignoreCase: true, questionMark: true }) ||
      (!p.includes('://') && wildcardMatches(p, withoutScheme, { ignoreCase: true, questionMark: true })),
  );
}

/**
 * OSS hotlink protection: applies to anonymous and URL-signed requests, never to requests signed in the Authorization
 * header. Throws 403 AccessDenied with the EC OSS gives: empty referer refused (0003-00000501), blacklisted
 * (0003-00000502), not in the whitelist (0003-00000503).
 */
export function enforceReferer(store: Store, bucket: string, headers: IncomingHttpHeaders): void {
  const config = readBucketConfig<RefererConfiguration>(store, bucket, 'referer');
  if (!config) return;
  const raw = headers.referer;
  const referer = typeof raw === 'string' ? raw.trim() : '';
  if (referer === '') {
    if (!config.allowEmptyReferer) throw ossErrors.refererDenied('0003-00000501');
    return;
  }
  const value = comparable(referer, config);
  if (matchesAny(config.refererBlacklist, value)) throw ossErrors.refererDenied('0003-00000502');
  if (config.refererList.length > 0 && !matchesAny(config.refererList, value)) throw ossErrors.refererDenied('0003-00000503');
}
