import { verifyRtmpSignature } from '../auth/authenticate.js';
import type { Credentials } from '../auth/credentials.js';
import { bucketFromHost, hostnameOf, parseQuery, queryValue, type QueryPairs } from '../oss/wire/request-target.js';
import type { Clock } from '../shared/clock.js';
import type { Store } from '../store/store.js';
import type { LiveRegistry } from './live-registry.js';
import type { ChannelRow } from '../store/rows.js';
import type { PublishVerdict } from '../shared/publish-verdict.js';
import type { PublishRequest } from './rtmp/types.js';
import { livePlaylistNameProblem } from '../oss/live-channel/playlist-name.js';

/** Where a publish goes, once its URL is understood. */
export interface PublishTarget {
  bucket: string;
  channel: ChannelRow;
  /** The push's playlistName parameter, else the channel's PlaylistName. */
  playlistName: string;
  accessKeyId: string | undefined;
}

/** The settings a publish decision reads (a slice of the emulator's Config). */
export interface PublishPolicyConfig {
  auth: boolean;
  defaultBucket: string | undefined;
  baseDomains: readonly string[];
}

/** What a publish decision reads: buckets and channels, the time (Expires), who is live, and the settings. */
export interface PublishPolicyServices {
  store: Pick<Store, 'getBucket' | 'getChannel' | 'allChannels'>;
  clock: Clock;
  config: PublishPolicyConfig;
  live: Pick<LiveRegistry, 'isPublishing'>;
}

/** Where the publish goes, or why it may not start (the one publish-decision shape, PublishVerdict). */
export type PolicyVerdict = PublishVerdict<{ target: PublishTarget }>;

const refuse = (code: string, description: string): PolicyVerdict => ({ accept: false, code, description });

const decode = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
};

/**
 * Bucket and channel from the shapes SDKs and OBS produce: `live` is the fixed app segment, the channel
 * is the publish name, the bucket is the other path segment, else the tcUrl host's first label
 * (`rtmp://bucket.localhost/live/ch`), else the configured default bucket, else the one bucket holding that channel.
 */
export function locate(
  req: PublishRequest,
  services: Pick<PublishPolicyServices, 'store' | 'config'>,
): { bucket: string | undefined; channel: string | undefined } {
  const channel = decode(req.streamName);
  const appPath = req.app.split('?')[0]!;
  const segments = appPath.split('/').filter((s) => s !== '');
  const others = segments.filter((s) => s !== 'live');
  const { store, config } = services;
  const exists = (name: string) => store.getBucket(name) !== undefined;
  if (others.length === 1) return { bucket: decode(others[0]!), channel };
  if (others.length > 1) return { bucket: undefined, channel };
  let host = '';
  try {
    host = new URL(req.tcUrl.replace(/^rtmps?:/i, 'http:')).host;
  } catch {
    // A tcUrl that is no URL names no bucket; the fallbacks below decide.
  }
  const fromHost = host ? bucketFromHost(hostnameOf(host), { baseDomains: config.baseDomains, bucketExists: exists }) : undefined;
  if (fromHost && exists(fromHost)) return { bucket: fromHost, channel };
  if (config.defaultBucket) return { bucket: config.defaultBucket, channel };
  if (channel) {
    const holders = store.allChannels().filter((c) => c.name === channel);
    if (holders.length === 1) return { bucket: holders[0]!.bucket, channel };
  }
  return { bucket: fromHost, channel };
}

/**
 * OBS with the whole signed URL in Server and an empty Stream Key connects with app `<bucket>/live/<channel>?<query>`
 * and publishes "": say which part goes in which field.
 */
function wholeUrlInServerField(req: PublishRequest): PolicyVerdict | undefined {
  if (req.streamName !== '') return undefined;
  const m = /^(?:(.*?)\/)?live\/([^/?]+)(\?.*)?$/.exec(req.app);
  if (!m) return undefined;
  const server = req.tcUrl.split('?')[0]!.replace(/\/live\/[^/]+$/, '/live');
  const key = `${m[2]}${m[3] ? '?OSSAccessKeyId=…&Expires=…&Signature=…' : ''}`;
  return refuse(
    'NetStream.Publish.BadName',
    `The Stream Key is empty and the Server holds the whole URL. Split it at the last "/": Server ${server}, Stream Key ${key}.`,
  );
}

/**
 * May this publish start? Checked once, at publish time, before the client is told it may send media:
 * the channel exists and is enabled, nobody else publishes to it, and the bucket is public-read-write or the URL
 * carries a valid, unexpired V1 RTMP signature. (Expires is never checked again: a push may outlive it.)
 */
export function decidePublish(req: PublishRequest, services: PublishPolicyServices, credentials: Credentials): PolicyVerdict {
  const misplaced = wholeUrlInServerField(req);
  if (misplaced) return misplaced;
  const { store, config, clock, live } = services;
  const { bucket, channel } = locate(req, services);
  if (!channel) return refuse('NetStream.Publish.BadName', 'The channel name in the publish URL is missing or not valid percent-encoding.');
  if (!bucket)
    return refuse(
      'NetStream.Publish.BadName',
      `No bucket in the publish URL for channel "${channel}"; use rtmp://host:port/<bucket>/live/<channel> or --default-bucket.`,
    );
  const bucketRow = store.getBucket(bucket);
  if (!bucketRow) return refuse('NetStream.Publish.BadName', `The specified bucket does not exist. (${bucket})`);
  const channelRow = store.getChannel(bucket, channel);
  if (!channelRow) return refuse('NetStream.Publish.BadName', `The specified live channel does not exist. (${bucket}/${channel})`);

  let params: QueryPairs;
  try {
    params = parseQuery(req.rawQuery);
  } catch {
    return refuse('NetStream.Publish.BadName', 'The publish URL query is not valid percent-encoding.');
  }
  let accessKeyId: string | undefined;
  // A public-read-write bucket needs no signature (OSS: RTMP pushes to a public-read-write bucket are unsigned); whether OSS still checks one given there is unconfirmed.
  if (config.auth && bucketRow.acl !== 'public-read-write') {
    const verdict = verifyRtmpSignature({ bucket, channel, params }, credentials, clock.now());
    if (!verdict.accept) return refuse(verdict.code, verdict.description);
    accessKeyId = verdict.accessKeyId;
  }
  if (channelRow.status === 'disabled') return refuse('NetStream.Publish.Rejected', 'Live channel is disabled by owner.');
  if (live.isPublishing(bucket, channel))
    return refuse('NetStream.Publish.BadName', 'The live channel is already being published to; only one publisher at a time.');
  const playlistName = queryValue(params, 'playlistName') || channelRow.playlistName;
  // The same rule PutLiveChannel applies to PlaylistName: a channel it accepted can always be pushed to.
  if (livePlaylistNameProblem(playlistName)) {
    return refuse(
      'NetStream.Publish.BadName',
      `playlistName "${playlistName}" must be 6-128 characters, end with .m3u8 and contain no "/".`,
    );
  }
  return { accept: true, target: { bucket, channel: channelRow, playlistName, accessKeyId } };
}
