import { EC, ossErrors } from '../oss/wire/errors.js';
import type { Credentials } from './credentials.js';
import { MAX_CLOCK_SKEW_MS, formatServerTime, parseRequestTime } from './request-time.js';
import { hmacSha1Base64, v1StringToSign } from './signature-v1.js';
import { AUTH_EC, invalidAuthorization, missingDate, withEc, type SignedRequest } from './signed-request.js';
import { queryValue } from '../oss/wire/request-target.js';
import { constantTimeEqual } from './verify.js';

/** `Authorization: OSS <AccessKeyId>:<Signature>` (OSS V1 header signature). Returns the AccessKeyId or throws OssError. */
/** skewNowMs: the time a request's Date is compared with (the clients' clock; see authenticate). */
export function verifyV1Header(req: SignedRequest, authorization: string, credentials: Credentials, skewNowMs: number): string {
  const rest = authorization.slice('OSS '.length);
  const colon = rest.lastIndexOf(':');
  const accessKeyId = rest.slice(0, colon);
  const provided = rest.slice(colon + 1);
  if (colon <= 0 || provided === '') throw invalidAuthorization(AUTH_EC.v1Format);

  const secret = credentials.secretFor(accessKeyId);
  if (secret === undefined) throw ossErrors.invalidAccessKeyId(accessKeyId);

  // oss2 and ali-oss put x-oss-date on the date line when present (ali-oss sends no Date at all).
  const ossDate = req.headers['x-oss-date'];
  const httpDate = req.headers['date'];
  const date = ossDate ?? httpDate;
  const requestMs = date === undefined ? undefined : parseRequestTime(date);
  if (date === undefined || requestMs === undefined) throw missingDate();
  if (Math.abs(skewNowMs - requestMs) > MAX_CLOCK_SKEW_MS) {
    throw withEc(ossErrors.requestTimeTooSkewed(date, formatServerTime(skewNowMs)), AUTH_EC.skewed);
  }

  const stringToSign = v1StringToSign({ ...v1Parts(req), date });
  if (constantTimeEqual(hmacSha1Base64(secret, stringToSign), provided)) return accessKeyId;
  // Go v1 (oss/auth.go getSignedStr), go-v2 (signer/v1.go) and Java (SignUtils.buildCanonicalString) always
  // put the Date header on the date line, even when a caller adds an x-oss-date header of its own.
  if (ossDate !== undefined && httpDate !== undefined && httpDate !== ossDate) {
    const withHttpDate = v1StringToSign({ ...v1Parts(req), date: httpDate });
    if (constantTimeEqual(hmacSha1Base64(secret, withHttpDate), provided)) return accessKeyId;
  }
  throw ossErrors.signatureDoesNotMatch(accessKeyId, stringToSign, provided, EC.signatureDoesNotMatchV1);
}

const PRESIGN_MISSING = 'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters';

/** `?OSSAccessKeyId=…&Expires=…&Signature=…` (V1 presigned URL): expiry is checked before the signature, as OSS does. */
export function verifyV1Presigned(req: SignedRequest, credentials: Credentials, nowMs: number): string {
  const accessKeyId = queryValue(req.query, 'OSSAccessKeyId');
  const expires = queryValue(req.query, 'Expires');
  const provided = queryValue(req.query, 'Signature');
  if (!accessKeyId || !expires || !provided) throw ossErrors.accessDenied(PRESIGN_MISSING);
  if (!/^\d+$/.test(expires)) throw ossErrors.accessDenied('Invalid date (should be seconds since epoch).');
  if (Math.floor(nowMs / 1000) > Number(expires)) throw ossErrors.accessDenied('Request has expired.');

  const secret = credentials.secretFor(accessKeyId);
  if (secret === undefined) throw ossErrors.invalidAccessKeyId(accessKeyId);

  // The Expires value takes the Date line; OSSAccessKeyId/Expires/Signature are not sub-resources, security-token is.
  const stringToSign = v1StringToSign({ ...v1Parts(req), date: expires });
  if (constantTimeEqual(hmacSha1Base64(secret, stringToSign), provided)) return accessKeyId;
  throw ossErrors.signatureDoesNotMatch(accessKeyId, stringToSign, provided);
}

function v1Parts(req: SignedRequest) {
  return {
    method: req.method,
    contentMd5: req.headers['content-md5'] ?? '',
    contentType: req.headers['content-type'] ?? '',
    ossHeaders: req.headers,
    bucket: req.bucket,
    key: req.key,
    subresources: req.query,
  };
}
