import type { FastifyInstance, FastifyRequest } from 'fastify';
import { signRtmpUrl } from '../../auth/rtmp-signature.js';
import { presignV1Query } from '../../auth/signature-v1.js';
import type { OperationName } from '../../oss/detect-operation.js';
import { plainObjectUrl, signedPlaylistUrl } from '../../oss/live-channel/signed-play-url.js';
import type { Operation, OperationServices, OssReply } from '../../oss/operation.js';
import { invokeAsOwner } from '../../oss/owner-call.js';
import { OssError, ossErrors } from '../../oss/wire/errors.js';
import { renderXml, type XmlChild } from '../../oss/wire/xml.js';
import type { BucketAcl } from '../../store/rows.js';
import type { RequestLog } from './request-log.js';
import { AdminError, adminScope, invalidArgument, notFound, queryObject, readJsonBody } from './admin-json.js';

export interface ConsoleApiDeps {
  services: OperationServices;
  operations: Record<OperationName, Operation>;
  requestLog: RequestLog;
  /** The ports actually bound (known once listening). */
  ports(): { http: number; rtmp: number };
}

/** How long the URLs the console hands out (play, download, RTMP) stay valid unless the caller picks. */
const CONSOLE_URL_TTL_SEC = 6 * 3600;
const MAX_CHART_SEGMENTS = 300;
const ACLS: readonly BucketAcl[] = ['private', 'public-read', 'public-read-write'];

/** The OSS answer of an operation as an admin error: same status, Code and Message, as JSON. */
function asAdminError(err: unknown): unknown {
  return err instanceof OssError ? new AdminError(err.status, err.code, err.message) : err;
}

const stringField = (fields: Record<string, unknown>, name: string): string => {
  const v = fields[name];
  if (typeof v !== 'string' || v === '') throw invalidArgument(`${name} must be a non-empty string`);
  return v;
};

const numberField = (fields: Record<string, unknown>, name: string): number | undefined => {
  const v = fields[name];
  if (v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw invalidArgument(`${name} must be a number`);
  return n;
};

/**
 * The JSON admin API the web console uses (documented in the README): every change goes through the OSS operation
 * that does it (the same validation, errors and effects as an SDK request, as the account owner), reads come from the
 * store and the live registry.
 */
export function registerConsoleApi(app: FastifyInstance, deps: ConsoleApiDeps): void {
  const { services, operations, requestLog } = deps;
  const { store, live, clock, config } = services;
  const credential = config.credentials[0]!;

  async function invoke(
    request: FastifyRequest,
    operation: OperationName,
    target: {
      method: string;
      bucket: string;
      key?: string;
      query?: ReadonlyArray<readonly [string, string]>;
      headers?: Record<string, string>;
      body?: string;
    },
  ): Promise<OssReply> {
    const body = target.body === undefined ? undefined : Buffer.from(target.body, 'utf8');
    const headers = { ...target.headers, ...(body !== undefined ? { 'content-type': 'application/xml' } : {}) };
    const publicHost = request.headers.host ?? `127.0.0.1:${deps.ports().http}`;
    try {
      return await invokeAsOwner(operations, services, operation, { ...target, headers, body }, publicHost);
    } catch (err) {
      throw asAdminError(err);
    }
  }

  const endpointOf = (request: FastifyRequest) => `http://${request.headers.host ?? `127.0.0.1:${deps.ports().http}`}`;
  const hostOf = (request: FastifyRequest) => (request.headers.host ?? '127.0.0.1').replace(/:\d+$/, '');
  const expiresIn = (seconds: number) => Math.floor(clock.now() / 1000) + seconds;
  const requireBucketRow = (name: string) => {
    const row = store.getBucket(name);
    if (!row) throw notFound(`The bucket ${name} does not exist.`);
    return row;
  };
  /** A URL that plays from this machine whatever the ACL: plain for public buckets, GetSignedPlaylist otherwise. */
  const playableUrl = (request: FastifyRequest, bucket: string, key: string) =>
    requireBucketRow(bucket).acl === 'private'
      ? signedPlaylistUrl(endpointOf(request), credential, bucket, key, expiresIn(CONSOLE_URL_TTL_SEC))
      : plainObjectUrl(endpointOf(request), bucket, key);

  adminScope(app, (scope) => {
    scope.get('/-/buckets', async () => ({
      buckets: store.listBuckets().map((b) => ({ name: b.name, acl: b.acl, createdMs: b.createdMs, ...store.bucketStats(b.name) })),
    }));

    scope.post('/-/buckets', async (request) => {
      const fields = await readJsonBody(request);
      const name = stringField(fields, 'name');
      const acl = (fields.acl ?? 'private') as BucketAcl;
      if (!ACLS.includes(acl)) throw invalidArgument(`acl must be one of ${ACLS.join(', ')}`);
      // "Create" in the console means a new bucket (OSS's PutBucket answers an existing one of the owner's with 200).
      if (store.getBucket(name)) {
        const e = ossErrors.bucketAlreadyExists(name);
        throw new AdminError(e.status, e.code, e.message);
      }
      await invoke(request, 'PutBucket', { method: 'PUT', bucket: name, headers: { 'x-oss-acl': acl } });
      return { bucket: name, acl };
    });

    scope.delete<{ Params: { bucket: string } }>('/-/buckets/:bucket', async (request) => {
      await invoke(request, 'DeleteBucket', { method: 'DELETE', bucket: request.params.bucket });
      return { deleted: request.params.bucket };
    });

    scope.put<{ Params: { bucket: string } }>('/-/buckets/:bucket/acl', async (request) => {
      const acl = (await readJsonBody(request)).acl as BucketAcl;
      if (!ACLS.includes(acl)) throw invalidArgument(`acl must be one of ${ACLS.join(', ')}`);
      await invoke(request, 'PutBucketAcl', {
        method: 'PUT',
        bucket: request.params.bucket,
        query: [['acl', '']],
        headers: { 'x-oss-acl': acl },
      });
      return { bucket: request.params.bucket, acl };
    });

    // One CORS rule (PutBucketCors replaces the bucket's rules), e.g. for a player page on another origin.
    scope.put<{ Params: { bucket: string } }>('/-/buckets/:bucket/cors', async (request) => {
      if (!('PutBucketCors' in operations))
        throw new AdminError(501, 'NotImplemented', 'Bucket CORS rules are not available in this build.');
      const fields = await readJsonBody(request);
      const list = (name: string, fallback: string[]) => {
        const v = fields[name] ?? fallback;
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidArgument(`${name} must be a list of strings`);
        return v as string[];
      };
      const rule: XmlChild[] = [
        ...list('allowedOrigins', ['*']).map((o): XmlChild => ['AllowedOrigin', o]),
        ...list('allowedMethods', ['GET', 'HEAD']).map((m): XmlChild => ['AllowedMethod', m]),
        ...list('allowedHeaders', ['*']).map((h): XmlChild => ['AllowedHeader', h]),
        ...list('exposeHeaders', []).map((h): XmlChild => ['ExposeHeader', h]),
        ['MaxAgeSeconds', numberField(fields, 'maxAgeSeconds') ?? 600],
      ];
      const body = renderXml('CORSConfiguration', [['CORSRule', rule]]);
      await invoke(request, 'PutBucketCors' as string as OperationName, {
        method: 'PUT',
        bucket: request.params.bucket,
        query: [['cors', '']],
        body,
      });
      return { bucket: request.params.bucket, cors: 'set' };
    });

    scope.get<{ Params: { bucket: string } }>('/-/buckets/:bucket/objects', async (request) => {
      const bucket = requireBucketRow(request.params.bucket).name;
      const q = queryObject(request);
      const prefix = q.prefix ?? '';
      const page = store.listObjects({
        bucket,
        prefix,
        after: q.marker ?? '',
        delimiter: '/',
        maxKeys: Math.min(Number(q.limit ?? 200) || 200, 1000),
      });
      const expires = expiresIn(CONSOLE_URL_TTL_SEC);
      return {
        bucket,
        prefix,
        prefixes: page.commonPrefixes,
        nextMarker: page.isTruncated ? page.nextMarker : null,
        objects: page.objects.map((o) => ({
          key: o.key,
          size: o.size,
          etag: o.etag,
          contentType: o.contentType,
          lastModifiedMs: o.lastModifiedMs,
          url: `${plainObjectUrl(endpointOf(request), bucket, o.key)}?${presignV1Query({ ...credential, method: 'GET', bucket, key: o.key, expires })}`,
        })),
      };
    });

    scope.delete<{ Params: { bucket: string } }>('/-/buckets/:bucket/objects', async (request) => {
      const key = queryObject(request).key;
      if (!key) throw invalidArgument('key is required (?key=…)');
      await invoke(request, 'DeleteObject', { method: 'DELETE', bucket: request.params.bucket, key });
      return { deleted: key };
    });

    scope.get<{ Params: { bucket: string } }>('/-/buckets/:bucket/channels', async (request) => {
      const bucket = requireBucketRow(request.params.bucket).name;
      return {
        bucket,
        channels: store.listChannels(bucket, '', '', 1000).map((c) => ({
          name: c.name,
          description: c.description,
          status: c.status,
          state: live.isLive(bucket, c.name) ? 'Live' : c.status === 'disabled' ? 'Disabled' : 'Idle',
          fragDuration: c.fragDuration,
          fragCount: c.fragCount,
          playlistName: c.playlistName,
        })),
      };
    });

    scope.post<{ Params: { bucket: string } }>('/-/buckets/:bucket/channels', async (request) => {
      const fields = await readJsonBody(request);
      const name = stringField(fields, 'name');
      const target: XmlChild[] = [
        ['Type', 'HLS'],
        fields.fragDuration !== undefined && ['FragDuration', String(fields.fragDuration)],
        fields.fragCount !== undefined && ['FragCount', String(fields.fragCount)],
        fields.playlistName !== undefined && fields.playlistName !== '' && ['PlaylistName', String(fields.playlistName)],
      ];
      const snapshot = fields.snapshot as Record<string, unknown> | undefined;
      const body = renderXml('LiveChannelConfiguration', [
        ['Description', String(fields.description ?? '')],
        ['Status', String(fields.status ?? 'enabled')],
        ['Target', target],
        snapshot !== undefined && [
          'Snapshot',
          [
            ['RoleName', String(snapshot.roleName ?? 'console')],
            ['DestBucket', String(snapshot.destBucket ?? request.params.bucket)],
            ['NotifyTopic', String(snapshot.notifyTopic ?? 'console')],
            ['Interval', String(snapshot.interval ?? 5)],
          ],
        ],
      ]);
      await invoke(request, 'PutLiveChannel', { method: 'PUT', bucket: request.params.bucket, key: name, query: [['live', '']], body });
      return { bucket: request.params.bucket, channel: name };
    });

    scope.put<{ Params: { bucket: string; channel: string } }>('/-/buckets/:bucket/channels/:channel/status', async (request) => {
      const status = (await readJsonBody(request)).status;
      if (status !== 'enabled' && status !== 'disabled') throw invalidArgument('status must be enabled or disabled');
      const { bucket, channel } = request.params;
      await invoke(request, 'PutLiveChannelStatus', {
        method: 'PUT',
        bucket,
        key: channel,
        query: [
          ['live', ''],
          ['status', status],
        ],
      });
      return { bucket, channel, status };
    });

    scope.delete<{ Params: { bucket: string; channel: string } }>('/-/buckets/:bucket/channels/:channel', async (request) => {
      const { bucket, channel } = request.params;
      await invoke(request, 'DeleteLiveChannel', { method: 'DELETE', bucket, key: channel, query: [['live', '']] });
      return { deleted: channel };
    });

    scope.get<{ Params: { bucket: string; channel: string } }>('/-/buckets/:bucket/channels/:channel', async (request) => {
      const { bucket, channel } = request.params;
      requireBucketRow(bucket);
      const row = store.getChannel(bucket, channel);
      if (!row) throw notFound(`The live channel ${bucket}/${channel} does not exist.`);
      const publish = live.get(bucket, channel);
      const stat = publish?.stat();
      const minutes = Math.min(Number(queryObject(request).minutes ?? 10) || 10, 24 * 60);
      const now = clock.now();
      const segments = store.segmentsInSpan(bucket, channel, now - minutes * 60_000, now + 24 * 3600_000).slice(-MAX_CHART_SEGMENTS);
      return {
        bucket,
        name: row.name,
        description: row.description,
        status: row.status,
        state: stat ? 'Live' : row.status === 'disabled' ? 'Disabled' : 'Idle',
        fragDuration: row.fragDuration,
        fragCount: row.fragCount,
        playlistName: row.playlistName,
        snapshot: row.snapshot ?? null,
        acl: requireBucketRow(bucket).acl,
        nowMs: now,
        playUrl: playableUrl(request, bucket, `${channel}/${row.playlistName}`),
        live: stat
          ? {
              connectedMs: stat.connectedMs,
              remoteAddr: stat.remoteAddr,
              video: stat.video ?? null,
              audio: stat.audio ?? null,
              warnings: stat.warnings,
              publishId: publish!.publishId,
            }
          : null,
        history: store
          .recentPublishes(bucket, channel, 10)
          .map((p) => ({ startMs: p.startMs, endMs: p.endMs ?? null, remoteAddr: p.remoteAddr })),
        segments: segments.map((s) => ({
          key: s.key,
          startMs: s.startMs,
          durationMs: s.durationMs,
          publishId: s.publishId,
          size: store.getObject(bucket, s.key)?.size ?? null,
        })),
      };
    });

    scope.post<{ Params: { bucket: string; channel: string } }>('/-/buckets/:bucket/channels/:channel/vod', async (request) => {
      const { bucket, channel } = request.params;
      const fields = await readJsonBody(request);
      const startTime = numberField(fields, 'startTime');
      const endTime = numberField(fields, 'endTime');
      if (startTime === undefined || endTime === undefined) throw invalidArgument('startTime and endTime (Unix seconds) are required');
      const playlistName = String(fields.playlistName || `vod-${startTime}-${endTime}.m3u8`);
      await invoke(request, 'PostVodPlaylist', {
        method: 'POST',
        bucket,
        key: `${channel}/${playlistName}`,
        query: [
          ['vod', ''],
          ['startTime', String(Math.floor(startTime))],
          ['endTime', String(Math.ceil(endTime))],
        ],
      });
      const key = `${channel}/${playlistName}`;
      return { bucket, key, playUrl: playableUrl(request, bucket, key) };
    });

    scope.post<{ Params: { bucket: string; channel: string } }>('/-/buckets/:bucket/channels/:channel/rtmp-url', async (request) => {
      const { bucket, channel } = request.params;
      const fields = await readJsonBody(request);
      const ttl = numberField(fields, 'expiresInSec') ?? 3600;
      if (!Number.isInteger(ttl) || ttl <= 0 || ttl > 366 * 86400)
        throw invalidArgument('expiresInSec must be a whole number of seconds, at most a year');
      const row = store.getChannel(bucket, channel);
      if (!row) throw notFound(`The live channel ${bucket}/${channel} does not exist.`);
      const expires = expiresIn(ttl);
      const obsServer = `rtmp://${hostOf(request)}:${deps.ports().rtmp}/${encodeURIComponent(bucket)}/live`;
      const obsStreamKey = encodeURIComponent(channel) + signRtmpUrl({ ...credential, bucket, channel, expires, params: [] });
      const url = `${obsServer}/${obsStreamKey}`;
      return {
        url,
        obsServer,
        obsStreamKey,
        expires,
        fragDuration: row.fragDuration,
        ffmpeg: `ffmpeg -re -i input.mp4 -c:v libx264 -preset veryfast -g ${Math.max(1, Math.round(row.fragDuration * 25))} -keyint_min ${Math.max(1, Math.round(row.fragDuration * 25))} -c:a aac -f flv "${url}"`,
      };
    });

    scope.get('/-/requests', async (request) => {
      const q = queryObject(request);
      const after = q.after ?? '';
      const limit = Math.min(Number(q.limit ?? 100) || 100, 200);
      const records = requestLog.recent();
      const from = after ? records.findIndex((r) => r.id === after) + 1 : 0;
      return { requests: records.slice(from).slice(-limit) };
    });
  });
}
