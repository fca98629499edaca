import { ossErrors } from '../oss/wire/errors.js';
import { queryValue } from '../oss/wire/request-target.js';
import type { Credentials } from './credentials.js';
import { MAX_CLOCK_SKEW_MS, formatServerTime, parseRequestTime } from './request-time.js';
import { parseV2Authorization, v2Signature, v2StringToSign } from './signature-v2.js';
import { AUTH_EC, invalidAuthorization, missingDate, withEc, type SignedRequest } from './signed-request.js';
import { constantTimeEqual } from './verify.js';

/** `Authorization: OSS2 AccessKeyId:…,AdditionalHeaders:…,Signature:…` (oss2 AuthV2, Go AuthV2). */
export function verifyV2Header(req: SignedRequest, authorization: string, credentials: Credentials, skewNowMs: number): string {
  const parsed = parseV2Authorization(authorization);
  if (parsed === undefined) throw invalidAuthorization();
  const secret = credentials.secretFor(parsed.accessKeyId);
  if (secret === undefined) throw ossErrors.invalidAccessKeyId(parsed.accessKeyId);
  // oss2 and Go sign the Date header; a client that sends only x-oss-date gets that on the date line.
  const date = req.headers['date'] ?? req.headers['x-oss-date'];
  const requestMs = date === undefined ? undefined : parseRequestTime(date);
  if (date === undefined || requestMs === undefined) throw missingDate();
  if (Math.abs(skewNowMs - requestMs) > MAX_CLOCK_SKEW_MS) {
    throw withEc(ossErrors.requestTimeTooSkewed(date, formatServerTime(skewNowMs)), AUTH_EC.skewed);
  }
  const stringToSign = v2StringToSign({ ...req, date, additionalHeaders: parsed.additionalHeaders });
  if (constantTimeEqual(v2Signature(secret, stringToSign), parsed.signature)) return parsed.accessKeyId;
  throw ossErrors.signatureDoesNotMatch(parsed.accessKeyId, stringToSign, parsed.signature);
}

const PRESIGN_V2_MISSING =
  'Query-string authentication requires the x-oss-signature-version, x-oss-expires, x-oss-access-key-id and x-oss-signature parameters';

/** `?x-oss-signature-version=OSS2&x-oss-expires=…&x-oss-access-key-id=…[&x-oss-additional-headers=…]&x-oss-signature=…`. */
export function verifyV2Presigned(req: SignedRequest, credentials: Credentials, nowMs: number): string {
  const expires = queryValue(req.query, 'x-oss-expires');
  const accessKeyId = queryValue(req.query, 'x-oss-access-key-id');
  const provided = queryValue(req.query, 'x-oss-signature');
  if (!expires || !accessKeyId || !provided) throw ossErrors.accessDenied(PRESIGN_V2_MISSING);
  if (!/^\d+$/.test(expires)) throw ossErrors.accessDenied('Invalid date (x-oss-expires should be seconds since epoch).');
  if (Math.floor(nowMs / 1000) > Number(expires)) throw ossErrors.accessDenied('Request has expired.');
  const secret = credentials.secretFor(accessKeyId);
  if (secret === undefined) throw ossErrors.invalidAccessKeyId(accessKeyId);
  const additionalHeaders = (queryValue(req.query, 'x-oss-additional-headers') ?? '')
    .split(';')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  // The expiry takes the Date line; every parameter but the signature itself is signed.
  const stringToSign = v2StringToSign({
    ...req,
    date: expires,
    additionalHeaders,
    query: req.query.filter(([k]) => k !== 'x-oss-signature'),
  });
  if (constantTimeEqual(v2Signature(secret, stringToSign), provided)) return accessKeyId;
  throw ossErrors.signatureDoesNotMatch(accessKeyId, stringToSign, provided);
}
