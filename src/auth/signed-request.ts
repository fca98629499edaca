import { OssError, ossErrors } from '../oss/wire/errors.js';
import type { QueryPairs } from '../oss/wire/request-target.js';

/** The request as every verifier sees it: headers flattened to one string each. */
export interface SignedRequest {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  query: QueryPairs;
  /** Lowercase name -> value. */
  headers: Readonly<Record<string, string>>;
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Node decodes header bytes as latin1; clients sign the bytes they sent, which for `x-oss-meta-*` with Chinese text are
 * UTF-8 (oss2; ali-oss with headerEncoding 'latin1'). Read those bytes again as UTF-8 when they are valid UTF-8, so the
 * string to sign (hashed as UTF-8) holds exactly the bytes that were sent; anything else is kept as it arrived.
 */
export function headerText(value: string): string {
  if (ASCII.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : value;
}

/**
 * Node gives string[] only for a few headers; signers join repeats with ',' as go-v2 does. Headers that are already
 * flat (lower-case names, one ASCII string each: Node's, for nearly every request) are handed back as they are.
 */
export function flattenHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Readonly<Record<string, string>> {
  if (isFlat(headers)) return headers as Readonly<Record<string, string>>;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = headerText(Array.isArray(value) ? value.join(',') : value);
  }
  return out;
}

function isFlat(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  for (const name in headers) {
    const value = headers[name];
    if (typeof value !== 'string' || !ASCII.test(value) || name.toLowerCase() !== name) return false;
  }
  return true;
}

/** Re-issues a factory error with OSS's EC code, keeping Code/Message/extra from ossErrors. */
export function withEc(error: OssError, ec: string): OssError {
  return new OssError(error.status, error.code, error.message, error.extra, ec);
}

/** EC codes from OSS's public troubleshooting pages (help/en/oss/support/<EC>). */
export const AUTH_EC = {
  /** V1 Authorization is not `OSS <id>:<signature>`. */
  v1Format: '0002-00000062',
  /** No valid Date / x-oss-date header. */
  noDate: '0002-00000503',
  /** Request time too far from server time. */
  skewed: '0002-00000504',
  /** V4: x-oss-content-sha256 other than UNSIGNED-PAYLOAD. */
  v4ContentSha256: '0002-00000214',
  /** V4 presigned: x-oss-expires outside 1..604800 s. */
  v4Expires: '0002-00000232',
} as const;

export const MISSING_DATE_MESSAGE = 'OSS authentication requires a valid Date.';

export function missingDate(): OssError {
  return withEc(ossErrors.accessDenied(MISSING_DATE_MESSAGE), AUTH_EC.noDate);
}

export function invalidAuthorization(ec?: string): OssError {
  return ossErrors.invalidArgument('Authorization header is invalid.', [], ec);
}
