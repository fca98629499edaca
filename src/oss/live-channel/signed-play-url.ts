import type { Credential } from '../../auth/credentials.js';
import { presignV1Query } from '../../auth/signature-v1.js';
import { encodeKey } from './channel-urls.js';

export const HLS_SIGN: readonly [string, string] = ['x-oss-process', 'hls/sign'];

/** `<endpoint>/<bucket>/<key>`, path-style: what a player on this machine fetches. */
export const plainObjectUrl = (endpoint: string, bucket: string, key: string): string =>
  `${endpoint.replace(/\/+$/, '')}/${encodeKey(bucket)}/${encodeKey(key)}`;

/**
 * A presigned GetSignedPlaylist URL (`?x-oss-process=hls/sign&OSSAccessKeyId=…`): plays a private bucket's playlist
 * end to end, because the answer carries signed segment URIs. `expires` in Unix seconds.
 */
export function signedPlaylistUrl(endpoint: string, credential: Credential, bucket: string, key: string, expires: number): string {
  const query = presignV1Query({ ...credential, method: 'GET', bucket, key, expires, query: [HLS_SIGN] });
  return `${plainObjectUrl(endpoint, bucket, key)}?${HLS_SIGN[0]}=${encodeURIComponent(HLS_SIGN[1])}&${query}`;
}
