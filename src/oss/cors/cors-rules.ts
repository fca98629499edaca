import { ossErrors } from '../wire/errors.js';
import { childNodes, childText, childTexts, parseXmlBody, type XmlChild } from '../wire/xml.js';
import { wildcardMatches } from '../wildcard.js';

export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds: number | undefined;
}

export interface CorsConfiguration {
  rules: CorsRule[];
  responseVary: boolean;
}

const METHODS = new Set(['GET', 'PUT', 'DELETE', 'POST', 'HEAD']);
const MAX_RULES = 20;

const invalid = (message: string) => ossErrors.invalidArgument(message);
const starCount = (s: string) => s.split('*').length - 1;

/** PutBucketCors body -> configuration, validated as OSS does (methods, one `*` per origin/header, none in ExposeHeader). */
export function parseCorsConfiguration(body: Buffer): CorsConfiguration {
  const root = parseXmlBody(body, 'CORSConfiguration');
  const ruleNodes = typeof root === 'string' ? [] : childNodes(root, 'CORSRule');
  if (ruleNodes.length === 0) {
    throw ossErrors.malformedXml();
  }
  if (ruleNodes.length > MAX_RULES) throw invalid(`The number of CORS rules should not exceed ${MAX_RULES}.`);
  const rules = ruleNodes.map((node): CorsRule => {
    const allowedOrigins = childTexts(node, 'AllowedOrigin');
    const allowedMethods = childTexts(node, 'AllowedMethod');
    const allowedHeaders = childTexts(node, 'AllowedHeader');
    const exposeHeaders = childTexts(node, 'ExposeHeader');
    const maxAge = childText(node, 'MaxAgeSeconds');
    if (allowedOrigins.length === 0 || allowedMethods.length === 0) throw ossErrors.malformedXml();
    for (const origin of allowedOrigins) {
      if (origin === '' || starCount(origin) > 1) throw invalid(`AllowedOrigin "${origin}" can contain at most one wildcard (*).`);
    }
    for (const method of allowedMethods) {
      if (!METHODS.has(method)) throw invalid(`Unsupported method is ${method}.`);
    }
    for (const header of allowedHeaders) {
      if (starCount(header) > 1) throw invalid(`AllowedHeader "${header}" can contain at most one wildcard (*).`);
    }
    for (const header of exposeHeaders) {
      if (header.includes('*')) throw invalid(`ExposeHeader "${header}" cannot contain a wildcard (*).`);
    }
    let maxAgeSeconds: number | undefined;
    if (maxAge !== undefined && maxAge !== '') {
      if (!/^\d{1,9}$/.test(maxAge)) {
        // The argument is named as OSS names it (oss2's test_invalid_argument reads ArgumentName/ArgumentValue).
        throw ossErrors.invalidArgument(`MaxAgeSeconds "${maxAge}" is not a valid integer.`, [
          ['ArgumentName', 'MaxAgeSeconds'],
          ['ArgumentValue', maxAge],
        ]);
      }
      maxAgeSeconds = Number(maxAge);
    }
    return { allowedOrigins, allowedMethods, allowedHeaders, exposeHeaders, maxAgeSeconds };
  });
  const vary = typeof root === 'string' ? undefined : childText(root, 'ResponseVary');
  if (vary !== undefined && vary !== 'true' && vary !== 'false') throw invalid(`ResponseVary must be true or false, not "${vary}".`);
  return { rules, responseVary: vary === 'true' };
}

/** GetBucketCors body: the rules in the order they were put, elements in OSS's order. */
export function corsConfigurationXml(config: CorsConfiguration): XmlChild[] {
  return [
    ...config.rules.map((rule): XmlChild => [
      'CORSRule',
      [
        ...rule.allowedOrigins.map((v): XmlChild => ['AllowedOrigin', v]),
        ...rule.allowedMethods.map((v): XmlChild => ['AllowedMethod', v]),
        ...rule.allowedHeaders.map((v): XmlChild => ['AllowedHeader', v]),
        ...rule.exposeHeaders.map((v): XmlChild => ['ExposeHeader', v]),
        rule.maxAgeSeconds !== undefined && ['MaxAgeSeconds', rule.maxAgeSeconds],
      ],
    ]),
    ['ResponseVary', config.responseVary],
  ];
}

const originAllowed = (rule: CorsRule, origin: string) => rule.allowedOrigins.some((p) => wildcardMatches(p, origin));
const headerAllowed = (rule: CorsRule, header: string) => rule.allowedHeaders.some((p) => wildcardMatches(p, header, { ignoreCase: true }));

/** The first rule allowing a preflight: its origin, its requested method and every requested header. */
export function matchPreflight(
  config: CorsConfiguration,
  origin: string,
  method: string,
  headers: readonly string[],
): CorsRule | undefined {
  return config.rules.find(
    (rule) => originAllowed(rule, origin) && rule.allowedMethods.includes(method) && headers.every((h) => headerAllowed(rule, h)),
  );
}

/** The first rule allowing an actual cross-origin request (origin and method; its headers are not checked). */
export function matchRequest(config: CorsConfiguration, origin: string, method: string): CorsRule | undefined {
  return config.rules.find((rule) => originAllowed(rule, origin) && rule.allowedMethods.includes(method));
}

/** `Access-Control-Request-Headers: a, b` -> ['a', 'b'] (lower-case). */
export const requestedHeaders = (raw: string | undefined): string[] =>
  (raw ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);

/** Response headers for a request a rule allowed; `requestHeaders` only on a preflight. */
export function corsResponseHeaders(
  rule: CorsRule,
  origin: string,
  config: CorsConfiguration,
  requestHeaders?: string,
): Record<string, string> {
  const out: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
  };
  if (requestHeaders) out['access-control-allow-headers'] = requestedHeaders(requestHeaders).join(', ');
  if (rule.exposeHeaders.length) out['access-control-expose-headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) out['access-control-max-age'] = String(rule.maxAgeSeconds);
  if (config.responseVary) out.vary = 'Origin';
  return out;
}

export const CORS_NOT_ENABLED = 'CORSResponse: CORS is not enabled for this bucket.';
export const CORS_NOT_ALLOWED =
  'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / ' +
  "Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";
