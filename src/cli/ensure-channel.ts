import type { Credential } from '../auth/credentials.js';
import { v1SignedHeaders } from '../auth/signature-v1.js';
import { encodeKey } from '../oss/live-channel/channel-urls.js';

/** A V1-signed request to a running emulator, for CLI conveniences (sign-url --create). Not an SDK. */
async function signedFetch(
  endpoint: string,
  credential: Credential,
  method: string,
  bucket: string,
  key: string,
  query: ReadonlyArray<readonly [string, string]>,
  body?: string,
  ossHeaders?: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const contentType = body === undefined ? undefined : 'application/xml';
  const headers = v1SignedHeaders({ ...credential, method, bucket, key, query, contentType, ossHeaders });
  const search = query.map(([k, v]) => (v === '' ? k : `${k}=${encodeURIComponent(v)}`)).join('&');
  const url = `${endpoint}/${encodeKey(bucket)}/${encodeKey(key)}${search ? `?${search}` : ''}`;
  const res = await fetch(url, { method, headers, body });
  return { status: res.status, text: await res.text() };
}

/** The CORS rule `sign-url --create` gives a bucket it creates: any origin may GET and HEAD (a web player). */
export const BROWSER_PLAYBACK_CORS =
  '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>' +
  '<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><ExposeHeader>Content-Length</ExposeHeader>' +
  '<ExposeHeader>x-oss-request-id</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>';

const codeOf = (xml: string): string => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1] ?? '';

export type CreatedAcl = 'private' | 'public-read' | 'public-read-write';

export interface EnsuredChannel {
  /** What was done, one line each, for the output. */
  done: string[];
  /** The bucket's ACL as it now is. */
  acl: string;
}

/**
 * Makes sure the bucket and the LiveChannel exist on a running emulator (creates what is missing with `acl`, changes
 * nothing that exists), so `sign-url --create` gives a URL OBS can push to at once. Re-runnable: an existing bucket or
 * channel is reported, never an error.
 */
export async function ensureChannel(
  endpoint: string,
  credential: Credential,
  bucket: string,
  channel: string,
  acl: CreatedAcl = 'public-read',
): Promise<EnsuredChannel> {
  const done: string[] = [];
  // OSS answers PutBucket of an existing bucket of the account with 200: ask first, so an existing one is left alone.
  const existingAcl = await signedFetch(endpoint, credential, 'GET', bucket, '', [['acl', '']]);
  const exists = existingAcl.status === 200;
  const bucketRes = exists ? existingAcl : await signedFetch(endpoint, credential, 'PUT', bucket, '', [], undefined, { 'x-oss-acl': acl });
  let current = acl as string;
  if (!exists && bucketRes.status === 200) {
    done.push(`created bucket ${bucket} (${acl}${acl === 'public-read' ? ': players need no signature; --acl private to opt out' : ''})`);
    // Browser players load playlists and segments cross-origin; OSS refuses that without a CORS rule.
    const cors = await signedFetch(endpoint, credential, 'PUT', bucket, '', [['cors', '']], BROWSER_PLAYBACK_CORS);
    if (cors.status !== 200) throw new Error(`PutBucketCors ${bucket}: ${cors.status} ${codeOf(cors.text)}`);
    done.push(`allowed GET/HEAD from any origin on ${bucket} (a CORS rule, so browser players on other origins can load it)`);
  } else if (exists || codeOf(bucketRes.text) === 'BucketAlreadyExists') {
    const aclRes = exists ? existingAcl : await signedFetch(endpoint, credential, 'GET', bucket, '', [['acl', '']]);
    current = /<Grant>([^<]*)<\/Grant>/.exec(aclRes.text)?.[1] ?? 'private';
    done.push(`bucket ${bucket} exists (${current}): left as it is`);
  } else {
    throw new Error(`PutBucket ${bucket}: ${bucketRes.status} ${codeOf(bucketRes.text)}`);
  }
  const info = await signedFetch(endpoint, credential, 'GET', bucket, channel, [['live', '']]);
  if (info.status === 200) return { done, acl: current };
  if (codeOf(info.text) !== 'NoSuchLiveChannel') throw new Error(`GetLiveChannelInfo ${channel}: ${info.status} ${codeOf(info.text)}`);
  const config = '<LiveChannelConfiguration><Status>enabled</Status><Target><Type>HLS</Type></Target></LiveChannelConfiguration>';
  const put = await signedFetch(endpoint, credential, 'PUT', bucket, channel, [['live', '']], config);
  if (put.status !== 200) throw new Error(`PutLiveChannel ${channel}: ${put.status} ${codeOf(put.text)}`);
  done.push(`created LiveChannel ${channel} (FragDuration 5, FragCount 3, playlist.m3u8)`);
  return { done, acl: current };
}
