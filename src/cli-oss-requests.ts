import type { Credential } from './auth/credentials.js';
import { v1SignedHeaders } from './auth/signature-v1.js';
import { encodeKey } from './oss/live/channel-urls.js';

/** A V1-signed request to a running emulator, for CLI conveniences (sign-url --create). Not an SDK. */
async function signedFetch(
  endpoint: string,
  credential: Credential,
  method: string,
  bucket: string,
  key: string,
  query: ReadonlyArray<readonly [string, string]>,
  body?: string,
): Promise<{ status: number; text: string }> {
  const contentType = body === undefined ? undefined : 'application/xml';
  const headers = v1SignedHeaders({ ...credential, method, bucket, key, query, contentType });
  const search = query.map(([k, v]) => (v === '' ? k : `${k}=${encodeURIComponent(v)}`)).join('&');
  const url = `${endpoint}/${encodeKey(bucket)}/${encodeKey(key)}${search ? `?${search}` : ''}`;
  const res = await fetch(url, { method, headers, body });
  return { status: res.status, text: await res.text() };
}

const codeOf = (xml: string): string => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1] ?? '';

/**
 * Makes sure the bucket and the LiveChannel exist on a running emulator (creates what is missing, changes nothing
 * that exists), so `sign-url --create` gives a URL OBS can push to at once. Returns what it did, for the output.
 */
export async function ensureChannel(endpoint: string, credential: Credential, bucket: string, channel: string): Promise<string[]> {
  const done: string[] = [];
  const bucketRes = await signedFetch(endpoint, credential, 'PUT', bucket, '', []);
  if (bucketRes.status === 200) done.push(`created bucket ${bucket}`);
  else if (codeOf(bucketRes.text) !== 'BucketAlreadyExists') throw new Error(`PutBucket ${bucket}: ${bucketRes.status} ${codeOf(bucketRes.text)}`);
  const info = await signedFetch(endpoint, credential, 'GET', bucket, channel, [['live', '']]);
  if (info.status === 200) return done;
  if (codeOf(info.text) !== 'NoSuchLiveChannel') throw new Error(`GetLiveChannelInfo ${channel}: ${info.status} ${codeOf(info.text)}`);
  const config = '<LiveChannelConfiguration><Status>enabled</Status><Target><Type>HLS</Type></Target></LiveChannelConfiguration>';
  const put = await signedFetch(endpoint, credential, 'PUT', bucket, channel, [['live', '']], config);
  if (put.status !== 200) throw new Error(`PutLiveChannel ${channel}: ${put.status} ${codeOf(put.text)}`);
  done.push(`created LiveChannel ${channel} (FragDuration 5, FragCount 3, playlist.m3u8)`);
  return done;
}
