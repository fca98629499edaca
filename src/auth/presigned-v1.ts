import { ossErrors, type OssError } from '../oss/wire/errors.js';
import { queryValue, type QueryPairs } from '../oss/wire/request-target.js';
import type { Credentials } from './credentials.js';
import { hmacSha1Base64 } from './signature-v1.js';
import { constantTimeEqual } from './verify.js';

/** Why a V1 presigned check failed; each edge answers in its own form (HTTP: presignedV1Error; RTMP: an onStatus). */
export type PresignedV1Failure =
  | { problem: 'missing-parameters' }
  | { problem: 'invalid-expires' }
  | { problem: 'expired' }
  | { problem: 'unknown-access-key'; accessKeyId: string }
  | { problem: 'signature-mismatch'; accessKeyId: string; provided: string; stringToSign: string };

export type PresignedV1Check = { ok: true; accessKeyId: string } | ({ ok: false } & PresignedV1Failure);

/**
 * `?OSSAccessKeyId=…&Expires=…&Signature=…`, the V1 presigned form of an HTTP presigned URL and of a signed RTMP publish
 * URL: the three parameters, then Expires (checked before the signature, as OSS does), then the AccessKeyId, then the
 * signature against each StringToSign `stringsToSign(expires)` yields, in turn (SDKs differ in what they sign); a
 * mismatch reports the first one.
 */
export function checkPresignedV1(
  query: QueryPairs,
  credentials: Credentials,
  nowMs: number,
  stringsToSign: (expires: string) => Iterable<string>,
): PresignedV1Check {
  const accessKeyId = queryValue(query, 'OSSAccessKeyId');
  const expires = queryValue(query, 'Expires');
  const provided = queryValue(query, 'Signature');
  if (!accessKeyId || !expires || !provided) return { ok: false, problem: 'missing-parameters' };
  if (!/^\d+$/.test(expires)) return { ok: false, problem: 'invalid-expires' };
  if (Math.floor(nowMs / 1000) > Number(expires)) return { ok: false, problem: 'expired' };
  const secret = credentials.secretFor(accessKeyId);
  if (secret === undefined) return { ok: false, problem: 'unknown-access-key', accessKeyId };
  let first: string | undefined;
  for (const stringToSign of stringsToSign(expires)) {
    first ??= stringToSign;
    if (constantTimeEqual(hmacSha1Base64(secret, stringToSign), provided)) return { ok: true, accessKeyId };
  }
  return { ok: false, problem: 'signature-mismatch', accessKeyId, provided, stringToSign: first ?? '' };
}

/** The error OSS answers a failed V1 presigned URL with (the RTMP side tells its publisher the same message). */
export function presignedV1Error(failure: PresignedV1Failure): OssError {
  switch (failure.problem) {
    case 'missing-parameters':
      return ossErrors.accessDenied('Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters');
    case 'invalid-expires':
      return ossErrors.accessDenied('Invalid date (should be seconds since epoch).');
    case 'expired':
      return ossErrors.accessDenied('Request has expired.');
    case 'unknown-access-key':
      return ossErrors.invalidAccessKeyId(failure.accessKeyId);
    case 'signature-mismatch':
      return ossErrors.signatureDoesNotMatch(failure.accessKeyId, failure.stringToSign, failure.provided);
  }
}
