import { hmacSha1Base64 } from './signature-v1.js';
import { uriEncode } from './signature-v4.js';

/** Query names that carry the signature itself and never enter the RTMP StringToSign. */
export const RTMP_AUTH_PARAMS: ReadonlySet<string> = new Set(['OSSAccessKeyId', 'Expires', 'Signature', 'SecurityToken']);

export interface RtmpStringToSignInput {
  /** Absolute Unix seconds, as a string or number, exactly as it appears in the URL. */
  expires: string | number;
  /** Decoded params without OSSAccessKeyId/Expires/Signature/SecurityToken (they are dropped here anyway). */
  params: ReadonlyArray<readonly [string, string]>;
  bucket: string;
  channel: string;
}

/**
 * Expires "\n" + (key ":" value "\n" for each param, sorted by key, each key once) + "/<bucket>/<channel>".
 * Same for oss2 _sign_rtmp_url, Go getRtmpSignedStr, ali-oss getRtmpUrl and Java buildRtmpCanonicalString.
 */
export function rtmpStringToSign(input: RtmpStringToSignInput): string {
  const byName = new Map<string, string>();
  for (const [name, value] of input.params) {
    // The SDKs build params from a map: one value per name; keep the first if a URL repeats one.
    if (!RTMP_AUTH_PARAMS.has(name) && !byName.has(name)) byName.set(name, value);
  }
  const names = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const canonicalParams = names.map((n) => `${n}:${byName.get(n) ?? ''}\n`).join('');
  return `${input.expires}\n${canonicalParams}/${input.bucket}/${input.channel}`;
}

export interface SignRtmpUrlInput {
  accessKeyId: string;
  accessKeySecret: string;
  bucket: string;
  channel: string;
  /** Absolute expiry, Unix seconds (our CLI converts a relative TTL before calling). */
  expires: number;
  /** Extra params, e.g. [['playlistName', 'playlist.m3u8']]; they are signed and appended. */
  params?: ReadonlyArray<readonly [string, string]>;
  /** Prefix such as `rtmp://127.0.0.1:1935/live/test-channel`; '' yields just `?…`. */
  base?: string;
}

/** `<base>?OSSAccessKeyId=…&Expires=…&Signature=…&<params>` (ali-oss order), every key and value RFC 3986 encoded. */
export function signRtmpUrl(input: SignRtmpUrlInput): string {
  const params = input.params ?? [];
  const signature = hmacSha1Base64(
    input.accessKeySecret,
    rtmpStringToSign({ expires: input.expires, params, bucket: input.bucket, channel: input.channel }),
  );
  const query: Array<readonly [string, string]> = [
    ['OSSAccessKeyId', input.accessKeyId],
    ['Expires', String(input.expires)],
    ['Signature', signature],
    ...params,
  ];
  return `${input.base ?? ''}?${query.map(([k, v]) => `${uriEncode(k, false)}=${uriEncode(v, false)}`).join('&')}`;
}
