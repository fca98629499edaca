import { EC, ossErrors } from '../oss/wire/errors.js';
import type { Credentials } from './credentials.js';
import { MAX_CLOCK_SKEW_MS, formatServerTime, parseRequestTime } from './request-time.js';
import { hmacSha1Base64, v1StringToSign, type V1StringToSignInput } from './signature-v1.js';
import { AUTH_EC, invalidAuthorization, missingDate, withEc, type SignedRequest } from './signed-request.js';
import { checkPresignedV1, presignedV1Error } from './presigned-v1.js';
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

  const parts = v1Parts(req, date);
  const stringToSign = v1StringToSign(parts);
  if (constantTimeEqual(hmacSha1Base64(secret, stringToSign), provided)) return accessKeyId;
  // Go v1 (oss/auth.go getSignedStr), go-v2 (signer/v1.go) and Java (SignUtils.buildCanonicalString) always
  // put the Date header on the date line, even when a caller adds an x-oss-date header of its own.
  if (ossDate !== undefined && httpDate !== undefined && httpDate !== ossDate) {
    const withHttpDate = v1StringToSign({ ...parts, date: httpDate });
    if (constantTimeEqual(hmacSha1Base64(secret, withHttpDate), provided)) return accessKeyId;
  }
  throw ossErrors.signatureDoesNotMatch(accessKeyId, stringToSign, provided, EC.signatureDoesNotMatchV1);
}

/** `?OSSAccessKeyId=…&Expires=…&Signature=…` (V1 presigned URL): checkPresignedV1, signed as a V1 request with Expires on the Date line. */
export function verifyV1Presigned(req: SignedRequest, credentials: Credentials, nowMs: number): string {
  // OSSAccessKeyId/Expires/Signature are not sub-resources, security-token is.
  const check = checkPresignedV1(req.query, credentials, nowMs, (expires) => [v1StringToSign(v1Parts(req, expires))]);
  if (check.ok) return check.accessKeyId;
  throw presignedV1Error(check);
}

function v1Parts(req: SignedRequest, date: string): V1StringToSignInput {
  return {
    method: req.method,
    date,
    contentMd5: req.headers['content-md5'] ?? '',
    contentType: req.headers['content-type'] ?? '',
    ossHeaders: req.headers,
    bucket: req.bucket,
    key: req.key,
    subresources: req.query,
  };
}
