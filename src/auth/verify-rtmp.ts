import type { QueryPairs } from '../oss/wire/request-target.js';
import type { PublishVerdict } from '../shared/publish-verdict.js';
import type { Credentials } from './credentials.js';
import { checkPresignedV1, presignedV1Error } from './presigned-v1.js';
import { rtmpStringToSign } from './rtmp-signature.js';

export interface RtmpSignatureInput {
  bucket: string;
  channel: string;
  /** Decoded query of the publish URL, in arrival order. */
  params: QueryPairs;
}

/** Refused: `description` is the OSS message (logs, onStatus); `stringToSign` (on a mismatch) aids debugging. */
export type RtmpVerdict = PublishVerdict<{ accessKeyId: string }, { stringToSign?: string }>;

/**
 * Checks a signed RTMP publish URL (OSS docs: "Add signatures to RTMP URLs") with the V1 presigned check HTTP uses.
 * Expires is checked first and only here, at connect time: an established push outlives it. Callers decide whether a
 * signature is required at all (public-read-write).
 */
export function verifyRtmpSignature(input: RtmpSignatureInput, credentials: Credentials, nowMs: number): RtmpVerdict {
  const { bucket, channel, params } = input;
  const check = checkPresignedV1(params, credentials, nowMs, function* (expires) {
    yield rtmpStringToSign({ expires, params, bucket, channel });
    // oss2 and Java sign `security-token`; Go v1 sends it but excludes it (its excluded name is
    // "security-token"). Verify as signed first, then as excluded.
    if (params.some(([k]) => k === 'security-token')) {
      yield rtmpStringToSign({ expires, params: params.filter(([k]) => k !== 'security-token'), bucket, channel });
    }
  });
  if (check.ok) return { accept: true, accessKeyId: check.accessKeyId };
  const refused = { accept: false, code: 'NetStream.Publish.Unauthorized', description: presignedV1Error(check).message } as const;
  return check.problem === 'signature-mismatch' ? { ...refused, stringToSign: check.stringToSign } : refused;
}
