import { ossErrors } from '../oss/wire/errors.js';
import { verifyV1Header, verifyV1Presigned } from './authenticate-v1.js';
import { verifyV2Header, verifyV2Presigned } from './authenticate-v2.js';
import { verifyV4Header, verifyV4Presigned } from './authenticate-v4.js';
import type { Credentials } from './credentials.js';
import { V2_VERSION } from './signature-v2.js';
import { V4_ALGORITHM } from './signature-v4.js';
import { queryValue, type QueryPairs } from '../oss/wire/request-target.js';
import { flattenHeaders, invalidAuthorization, type SignedRequest } from './signed-request.js';

export { verifyRtmpSignature, type RtmpSignatureInput, type RtmpVerdict } from './verify-rtmp.js';

export interface AuthInput {
  method: string;
  /** Resolved bucket (undefined = service level). */
  bucket: string | undefined;
  /** Decoded object key / channel path ('' or undefined = bucket level). */
  key: string | undefined;
  /** Decoded query pairs in arrival order; a bare `?live` arrives as ['live', '']. */
  query: QueryPairs;
  /** Node's lowercase headers. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type Principal = { kind: 'user'; accessKeyId: string } | { kind: 'anonymous' };

const V1_QUERY_AUTH = ['OSSAccessKeyId', 'Expires', 'Signature'];
const V4_QUERY_AUTH = ['x-oss-signature-version', 'x-oss-credential', 'x-oss-signature'];
const QUERY_AUTH: ReadonlySet<string> = new Set([...V1_QUERY_AUTH, ...V4_QUERY_AUTH]);
const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

/**
 * Who signed this request: V1, V2 or V4, each as a header or a presigned URL; no credentials at all
 * means anonymous (the ACL decision is the caller's). Throws OssError for every failure.
 */
/**
 * nowMs (the emulator clock) decides expiry of presigned URLs; skewNowMs, the 15-minute window of header-signed requests.
 * They differ when a test moves the emulator clock: an SDK stamps requests with its own clock, which did not move, so its
 * Date is compared with the clients' time (real time) while Expires follows the moved clock.
 */
export function authenticate(input: AuthInput, credentials: Credentials, nowMs: number, skewNowMs: number = nowMs): Principal {
  // No Authorization header and no query parameter of any signature: anonymous, nothing else to read.
  if (input.headers['authorization'] === undefined && !hasQueryAuth(input.query)) return ANONYMOUS;
  const req: SignedRequest = {
    method: input.method,
    bucket: input.bucket,
    key: input.key,
    query: input.query,
    headers: flattenHeaders(input.headers),
  };
  const authorization = req.headers['authorization']?.trim() ?? '';

  if (authorization !== '') {
    if (hasAny(req.query, ['OSSAccessKeyId', 'Signature', 'x-oss-credential', 'x-oss-signature'])) {
      throw ossErrors.invalidArgument(
        'Only one auth mechanism allowed; only the Signature query string parameter or the Authorization header should be specified',
      );
    }
    if (authorization.startsWith('OSS ')) return user(verifyV1Header(req, authorization, credentials, skewNowMs));
    if (authorization.startsWith(`${V4_ALGORITHM} `)) return user(verifyV4Header(req, authorization, credentials, skewNowMs));
    if (authorization.startsWith(`${V2_VERSION} `)) return user(verifyV2Header(req, authorization, credentials, skewNowMs));
    throw invalidAuthorization();
  }
  if (hasAny(req.query, V4_QUERY_AUTH)) {
    if (queryValue(req.query, 'x-oss-signature-version') === V2_VERSION) return user(verifyV2Presigned(req, credentials, nowMs));
    return user(verifyV4Presigned(req, credentials, nowMs, skewNowMs));
  }
  if (hasAny(req.query, V1_QUERY_AUTH)) return user(verifyV1Presigned(req, credentials, nowMs));
  return ANONYMOUS;
}

const user = (accessKeyId: string): Principal => ({ kind: 'user', accessKeyId });

function hasQueryAuth(query: QueryPairs): boolean {
  for (const pair of query) if (QUERY_AUTH.has(pair[0])) return true;
  return false;
}

const hasAny = (query: QueryPairs, names: readonly string[]): boolean => names.some((n) => queryValue(query, n) !== undefined);
