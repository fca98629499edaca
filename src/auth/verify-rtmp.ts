import { queryValue, type QueryPairs } from '../oss/wire/request-target.js';
import type { Credentials } from './credentials.js';
import { rtmpStringToSign } from './rtmp-signature.js';
import { hmacSha1Base64 } from './signature-v1.js';
import { constantTimeEqual } from './verify.js';

export interface RtmpSignatureInput {
  bucket: string;
  channel: string;
  /** Decoded query of the publish URL, in arrival order. */
  params: QueryPairs;
}

export type RtmpVerdict =
  | { ok: true; accessKeyId: string }
  /** `reason` is the OSS message, for logs and the RTMP onStatus description; `stringToSign` aids debugging. */
  | { ok: false; reason: string; stringToSign?: string };

/**
 * Checks a signed RTMP publish URL (OSS docs: "Add signatures to RTMP URLs"). Expires is checked first and only here, at connect time:
 * an established push outlives it. Callers decide whether a signature is required at all (public-read-write).
 */
export function verifyRtmpSignature(input: RtmpSignatureInput, credentials: Credentials, nowMs: number): RtmpVerdict {
  const get = (name: string) => queryValue(input.params, name);
  const accessKeyId = get('OSSAccessKeyId');
  const expires = get('Expires');
  const provided = get('Signature');
  if (!accessKeyId || !expires || !provided) {
    return { ok: false, reason: 'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters' };
  }
  if (!/^\d+$/.test(expires)) return { ok: false, reason: 'Invalid date (should be seconds since epoch).' };
  if (Math.floor(nowMs / 1000) > Number(expires)) return { ok: false, reason: 'Request has expired.' };
  const secret = credentials.secretFor(accessKeyId);
  if (secret === undefined) {
    return { ok: false, reason: 'The OSS Access Key Id you provided does not exist in our records.' };
  }

  // oss2 and Java sign `security-token`; Go v1 sends it but excludes it (its excluded name is
  // "security-token"). Verify as signed first, then as excluded.
  const signed = rtmpStringToSign({ expires, params: input.params, bucket: input.bucket, channel: input.channel });
  if (constantTimeEqual(hmacSha1Base64(secret, signed), provided)) return { ok: true, accessKeyId };
  if (input.params.some(([k]) => k === 'security-token')) {
    const params = input.params.filter(([k]) => k !== 'security-token');
    const unsigned = rtmpStringToSign({ expires, params, bucket: input.bucket, channel: input.channel });
    if (constantTimeEqual(hmacSha1Base64(secret, unsigned), provided)) return { ok: true, accessKeyId };
  }
  return {
    ok: false,
    reason: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    stringToSign: signed,
  };
}
