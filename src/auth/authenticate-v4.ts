import { OssError, ossErrors } from '../oss/wire/errors.js';
import type { Credentials } from './credentials.js';
import { MAX_CLOCK_SKEW_MS, formatServerTime, parseRequestTime } from './request-time.js';
import {
  V4_ALGORITHM,
  parseCredential,
  parseV4Authorization,
  splitHeaderList,
  v4CanonicalRequest,
  v4Signature,
  v4StringToSign,
  type EmptyValueStyle,
  type V4Scope,
} from './signature-v4.js';
import { AUTH_EC, invalidAuthorization, missingDate, withEc, type SignedRequest } from './signed-request.js';
import { queryValue } from '../oss/wire/request-target.js';
import { isV1Subresource } from './subresources.js';
import { constantTimeEqual } from './verify.js';

/** `Authorization: OSS4-HMAC-SHA256 Credential=…,Signature=…` (OSS V4 signature docs). Any region is accepted. */
/** skewNowMs: the time a request's x-oss-date is compared with (the clients' clock; see authenticate). */
export function verifyV4Header(req: SignedRequest, authorization: string, credentials: Credentials, skewNowMs: number): string {
  const parsed = parseV4Authorization(authorization);
  if (parsed === undefined) throw invalidAuthorization();
  checkSigningRegion(parsed.scope, req.headers['host'], authorization);
  const secret = credentials.secretFor(parsed.accessKeyId);
  if (secret === undefined) throw ossErrors.invalidAccessKeyId(parsed.accessKeyId);

  // Go v1 AuthV4 (oss/auth.go getSignedStrV4) sends no x-oss-date and signs the Date header verbatim.
  const timestamp = req.headers['x-oss-date'] ?? req.headers['date'];
  const requestMs = timestamp === undefined ? undefined : parseRequestTime(timestamp);
  if (timestamp === undefined || requestMs === undefined) throw missingDate();
  if (Math.abs(skewNowMs - requestMs) > MAX_CLOCK_SKEW_MS) {
    throw withEc(ossErrors.requestTimeTooSkewed(timestamp, formatServerTime(skewNowMs)), AUTH_EC.skewed);
  }
  checkPayloadHash(req);
  checkScopeDate(parsed.scope, requestMs);
  return check(req, req.query, parsed.additionalHeaders, { ...parsed, secret, timestamp });
}

const PRESIGN_V4_MISSING =
  'Query-string authentication requires the x-oss-signature-version, x-oss-credential, x-oss-date, x-oss-expires and x-oss-signature parameters';

/** The longest lifetime of a V4 presigned URL (OSS: 1 s to 7 days, EC 0002-00000232). */
export const MAX_V4_PRESIGN_SECONDS = 7 * 24 * 3600;

/** OSS V4 does not sign payloads: the only accepted x-oss-content-sha256 is UNSIGNED-PAYLOAD (EC 0002-00000214). */
function checkPayloadHash(req: SignedRequest): void {
  const declared = req.headers['x-oss-content-sha256'];
  if (declared !== undefined && declared !== 'UNSIGNED-PAYLOAD') {
    throw ossErrors.invalidArgument(
      'Invalid x-oss-content-sha256: OSS V4 signatures require UNSIGNED-PAYLOAD.',
      [
        ['ArgumentName', 'x-oss-content-sha256'],
        ['ArgumentValue', declared],
      ],
      AUTH_EC.v4ContentSha256,
    );
  }
}

/** The credential scope's date is the day (UTC) of x-oss-date: a signature cannot be moved to another day. */
function checkScopeDate(scope: V4Scope, requestMs: number): void {
  const day = new Date(requestMs).toISOString().slice(0, 10).replace(/-/g, '');
  if (scope.date !== day) {
    throw ossErrors.accessDenied(`Invalid credential date ${scope.date}: it must be the date of x-oss-date (${day}).`);
  }
}

/**
 * `?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=…&x-oss-date=…&x-oss-expires=…&x-oss-signature=…`.
 * nowMs (the emulator clock) decides expiry; skewNowMs (the clients' clock) bounds how far in the future x-oss-date may be.
 */
export function verifyV4Presigned(req: SignedRequest, credentials: Credentials, nowMs: number, skewNowMs: number = nowMs): string {
  const version = queryValue(req.query, 'x-oss-signature-version');
  const credential = queryValue(req.query, 'x-oss-credential');
  const timestamp = queryValue(req.query, 'x-oss-date');
  const expires = queryValue(req.query, 'x-oss-expires');
  const provided = queryValue(req.query, 'x-oss-signature');
  if (!version || !credential || !timestamp || !expires || !provided) throw ossErrors.accessDenied(PRESIGN_V4_MISSING);
  if (version !== V4_ALGORITHM) throw ossErrors.invalidArgument(`Unsupported x-oss-signature-version: ${version}`);
  const parsed = parseCredential(credential);
  if (parsed === undefined) throw ossErrors.invalidArgument('Invalid x-oss-credential in query string.');
  checkSigningRegion(parsed.scope, req.headers['host'], '');
  const signedAtMs = parseRequestTime(timestamp);
  if (signedAtMs === undefined || !/^\d+$/.test(expires)) {
    throw ossErrors.accessDenied('Invalid date (x-oss-date must be yyyyMMddTHHmmssZ, x-oss-expires seconds).');
  }
  const lifetime = Number(expires);
  if (lifetime < 1 || lifetime > MAX_V4_PRESIGN_SECONDS) {
    throw withEc(
      ossErrors.accessDenied(`x-oss-expires must be between 1 and ${MAX_V4_PRESIGN_SECONDS} seconds, got ${expires}.`),
      AUTH_EC.v4Expires,
    );
  }
  // A URL signed "in the future" would outlive the 7-day cap: x-oss-date may lead the clock by the skew window only.
  if (signedAtMs - skewNowMs > MAX_CLOCK_SKEW_MS) {
    throw withEc(ossErrors.requestTimeTooSkewed(timestamp, formatServerTime(skewNowMs)), AUTH_EC.skewed);
  }
  checkPayloadHash(req);
  checkScopeDate(parsed.scope, signedAtMs);
  // x-oss-expires is relative to x-oss-date (go-v2 authQuery, ali-oss signatureUrlV4, Java OSSV4Signer.presign).
  if (nowMs > signedAtMs + lifetime * 1000) throw ossErrors.accessDenied('Request has expired.');
  const secret = credentials.secretFor(parsed.accessKeyId);
  if (secret === undefined) throw ossErrors.invalidAccessKeyId(parsed.accessKeyId);

  const additional = splitHeaderList(queryValue(req.query, 'x-oss-additional-headers') ?? '');
  const signedQuery = req.query.filter(([k]) => k !== 'x-oss-signature');
  return check(req, signedQuery, additional, { ...parsed, secret, timestamp, signature: provided });
}

/**
 * The scope's region must be the one the request was addressed to. That region is known only from a Host under
 * `oss-<region>[-internal].aliyuncs.com` (a mapped real domain, or ali-oss's IP mode, which derives that Host from the same
 * region setting it signs with); any other host (an IP, localhost) accepts any region. An empty region is always wrong.
 */
function checkSigningRegion(scope: V4Scope, host: string | undefined, authorization: string): void {
  if (scope.region === '') throw ossErrors.invalidSigningRegion(authorization);
  if (scope.product !== 'oss') return;
  const addressed = /(?:^|\.)oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com(?::\d+)?$/i.exec(host ?? '')?.[1];
  // oss-accelerate(-overseas).aliyuncs.com names no region.
  if (addressed !== undefined && !addressed.startsWith('accelerate') && addressed.toLowerCase() !== scope.region.toLowerCase())
    throw ossErrors.invalidSigningRegion(authorization);
}

interface Claim {
  accessKeyId: string;
  scope: V4Scope;
  secret: string;
  timestamp: string;
  signature: string;
}

/**
 * Verifies with the canonical query every SDK but ali-oss builds (empty value -> bare `k`). ali-oss
 * (createRequest + signUtils.getCanonicalRequest, qs.stringify strictNullHandling) signs a user query
 * value '' as `k=` and skips `undefined`, yet sends both as `k=` on the wire; only after a mismatch, and
 * only if such a parameter exists, the two ali-oss readings are tried as well.
 */
function check(req: SignedRequest, query: SignedRequest['query'], additionalHeaders: readonly string[], claim: Claim): string {
  const attempt = (emptyValueStyle?: (name: string) => EmptyValueStyle) => {
    const canonicalRequest = v4CanonicalRequest({ ...req, query, additionalHeaders, emptyValueStyle });
    const stringToSign = v4StringToSign(claim.timestamp, claim.scope, canonicalRequest);
    const ok = constantTimeEqual(v4Signature(claim.secret, claim.scope, stringToSign), claim.signature);
    return { ok, canonicalRequest, stringToSign };
  };
  const primary = attempt();
  if (primary.ok) return claim.accessKeyId;
  if (query.some(([k, v]) => v === '' && !isV1Subresource(k))) {
    for (const style of ['omit', 'equals'] as const) {
      if (attempt((name) => (isV1Subresource(name) ? 'bare' : style)).ok) return claim.accessKeyId;
    }
  }
  const error = ossErrors.signatureDoesNotMatch(claim.accessKeyId, primary.stringToSign, claim.signature);
  // The canonical request is what V4 users need to diff against their SDK's debug output.
  return throwWith(error, ['CanonicalRequest', primary.canonicalRequest]);
}

function throwWith(error: OssError, extra: readonly [string, string]): never {
  throw new OssError(error.status, error.code, error.message, [...error.extra, extra], error.ec);
}
