import type { FastifyInstance } from 'fastify';

/** One admin route as the document describes it. */
interface Op {
  summary: string;
  tag: string;
  /** Query parameters (name: description). */
  query?: Record<string, string>;
  /** A JSON request body: its fields (name: description). */
  body?: Record<string, string>;
  /** What a success answers (status: description). */
  ok?: [number, string];
  /** Content type of a success other than JSON. */
  produces?: string;
}

const json = 'application/json';

/**
 * The admin API under `/-/`, path by path (OpenAPI path syntax). Kept next to the routes: the test
 * test/http/admin/openapi.test.ts fails when a registered /-/ route is missing here or a described one is not registered.
 */
const OPERATIONS: Record<string, Record<string, Op>> = {
  '/-/health': { get: { tag: 'emulator', summary: 'Ready check: 200 with status, uptime and live publish count' } },
  '/-/reset': { post: { tag: 'emulator', summary: 'Wipe all state (ends live publishes first, clears fault rules and retained events)' } },
  '/-/lifecycle/run': { post: { tag: 'emulator', summary: 'Apply bucket lifecycle rules now, at the emulator clock' } },
  '/-/channels': { get: { tag: 'live', summary: 'Every LiveChannel with its live session (connected time, codecs, warnings)' } },
  '/-/channels/{bucket}/{channel}/kick': {
    post: {
      tag: 'faults',
      summary: 'End the live publish of a channel from the server side (publish-end reason kicked); 404 when nobody publishes',
    },
  },
  '/-/clock': {
    get: { tag: 'clock', summary: 'The emulator clock: mode (real|frozen|offset), nowMs, now, offsetMs, frozen' },
    put: {
      tag: 'clock',
      summary: 'Move the emulator clock; fields in a JSON body or the query, applied as real, frozen:true, now, advance, frozen:false',
      body: {
        now: 'absolute time: ISO 8601 or epoch ms',
        advance: "duration: ms, '90s', '1h30m', '-2d' or ISO 8601 'PT1H'",
        frozen: 'true freezes, false resumes',
        real: 'true: back to real time',
      },
      query: { now: 'as the body field', advance: 'as the body field', frozen: 'as the body field', real: 'as the body field' },
    },
  },
  '/-/events': {
    get: {
      tag: 'events',
      summary: 'Server-Sent Events: one `id:` + `data: <event JSON>` message per event; Last-Event-ID replays retained events',
      query: {
        type: 'comma list of event types',
        bucket: 'exact',
        channel: 'exact',
        key: 'exact',
        keyPrefix: 'prefix',
        since: 'replay retained events with a larger id first',
      },
      produces: 'text/event-stream',
    },
  },
  '/-/events/recent': {
    get: {
      tag: 'events',
      summary: 'Retained events as JSON {events, cursor}, oldest first',
      query: {
        type: 'comma list',
        bucket: 'exact',
        channel: 'exact',
        key: 'exact',
        keyPrefix: 'prefix',
        since: 'event id',
        limit: 'newest N (default 1000)',
      },
    },
  },
  '/-/faults': {
    get: { tag: 'faults', summary: 'Active fault rules with their hits' },
    post: {
      tag: 'faults',
      summary: 'Add a fault rule',
      ok: [201, 'the rule, with its id'],
      body: {
        target: "'http' (default) or 'ingest'",
        match: '{operation (name or list), method, bucket, keyPrefix, keySuffix, channel}',
        action:
          "{type:'error', status, code, message?} | {type:'delay'} | {type:'reset'} | {type:'truncate', bytes?} | ingest: {type:'stall', ms} | {type:'drop'}",
        delayMs: 'added latency before the action',
        count: 'applies this many times',
        probability: 'chance in (0, 1]',
        expiresIn: 'duration on the emulator clock',
        expiresAt: 'time on the emulator clock',
      },
    },
    delete: { tag: 'faults', summary: 'Remove every fault rule: {removed}' },
  },
  '/-/faults/{id}': { delete: { tag: 'faults', summary: 'Remove one fault rule', ok: [204, 'removed'] } },
  '/-/snapshot': {
    get: { tag: 'snapshots', summary: 'Saved checkpoints: {snapshots: [{name, createdAt, files}]}' },
    post: {
      tag: 'snapshots',
      summary: 'Save the whole state under a name (replaces one of the same name)',
      body: { name: 'letters, digits, . _ -' },
      ok: [201, '{name, createdAt, files}'],
    },
  },
  '/-/snapshot/{name}': { delete: { tag: 'snapshots', summary: 'Delete a checkpoint', ok: [204, 'deleted'] } },
  '/-/restore': {
    post: {
      tag: 'snapshots',
      summary: 'Put a checkpoint back (live publishes are ended first, as reset)',
      body: { name: 'a saved checkpoint' },
    },
  },
  '/-/init': {
    post: {
      tag: 'emulator',
      summary: 'Apply a seed, as --init FILE does, idempotently; answers per entry created|updated|unchanged|written|skipped-live',
      body: {
        buckets:
          '[{name, acl?, cors?: [{allowedOrigins, allowedMethods, allowedHeaders, exposeHeaders, maxAgeSeconds}], ' +
          'channels?: [{name, description, status, type, fragDuration, fragCount, playlistName, snapshot}], objects?: [{key, content | contentBase64, contentType}]}]',
      },
    },
  },
  '/-/openapi.json': { get: { tag: 'emulator', summary: 'This document' } },
  '/-/console': { get: { tag: 'console', summary: 'The web console (HTML)', produces: 'text/html' } },
  '/-/console/app.js': { get: { tag: 'console', summary: 'The console script', produces: 'text/javascript' } },
  '/-/console/hls.js': { get: { tag: 'console', summary: 'hls.js for the console preview', produces: 'text/javascript' } },
  '/-/requests': {
    get: {
      tag: 'console',
      summary: "The last OSS requests answered (the console's request log)",
      query: { after: 'request id', limit: 'at most 200' },
    },
  },
  '/-/buckets': {
    get: { tag: 'console', summary: 'Buckets with object count, bytes and channel count' },
    post: {
      tag: 'console',
      summary: 'Create a bucket (as PutBucket)',
      body: { name: 'bucket name', acl: 'private | public-read | public-read-write' },
    },
  },
  '/-/buckets/{bucket}': { delete: { tag: 'console', summary: 'Delete an empty bucket (as DeleteBucket)' } },
  '/-/buckets/{bucket}/acl': {
    put: { tag: 'console', summary: 'Set the bucket ACL (as PutBucketAcl)', body: { acl: 'private | public-read | public-read-write' } },
  },
  '/-/buckets/{bucket}/cors': { put: { tag: 'console', summary: 'Set bucket CORS rules (as PutBucketCors)' } },
  '/-/buckets/{bucket}/objects': {
    get: {
      tag: 'console',
      summary: 'List objects (as ListObjects)',
      query: { prefix: 'key prefix', marker: 'continue after', delimiter: 'group keys' },
    },
    delete: { tag: 'console', summary: 'Delete objects (as DeleteObject)' },
  },
  '/-/buckets/{bucket}/channels': {
    get: { tag: 'console', summary: 'LiveChannels of a bucket with their status' },
    post: { tag: 'console', summary: 'Create a LiveChannel (as PutLiveChannel)' },
  },
  '/-/buckets/{bucket}/channels/{channel}': {
    get: { tag: 'console', summary: 'One LiveChannel: config, stat, history, URLs' },
    delete: { tag: 'console', summary: 'Delete a LiveChannel (as DeleteLiveChannel)' },
  },
  '/-/buckets/{bucket}/channels/{channel}/status': { put: { tag: 'console', summary: 'Enable or disable (as PutLiveChannelStatus)' } },
  '/-/buckets/{bucket}/channels/{channel}/vod': { post: { tag: 'console', summary: 'Build a VOD playlist (as PostVodPlaylist)' } },
  '/-/buckets/{bucket}/channels/{channel}/rtmp-url': {
    post: { tag: 'console', summary: 'A signed RTMP URL, OBS settings and an ffmpeg command' },
  },
};

function operationObject(path: string, method: string, op: Op): Record<string, unknown> {
  const params = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const query = Object.entries(op.query ?? {}).map(([name, description]) => ({
    name,
    in: 'query',
    required: false,
    description,
    schema: { type: 'string' },
  }));
  const [status, description] = op.ok ?? [200, 'success'];
  const result: Record<string, unknown> = {
    operationId: `${method}${path.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: op.summary,
    tags: [op.tag],
    responses: {
      [String(status)]:
        status === 204
          ? { description }
          : { description, content: { [op.produces ?? json]: { schema: op.produces ? { type: 'string' } : { type: 'object' } } } },
      '400': {
        description: 'Invalid input: {code, message}',
        content: { [json]: { schema: { $ref: '#/components/schemas/AdminError' } } },
      },
      '403': { description: 'Refused by the admin guard (foreign Origin, cross-site browser request)' },
    },
  };
  if (params.length || query.length) result.parameters = [...params, ...query];
  if (op.body) {
    result.requestBody = {
      required: false,
      content: {
        [json]: {
          schema: { type: 'object', properties: Object.fromEntries(Object.entries(op.body).map(([k, d]) => [k, { description: d }])) },
        },
      },
    };
  }
  return result;
}

/** The OpenAPI 3.1 document of the admin API. */
export function adminOpenApi(version: string): Record<string, unknown> {
  const paths = Object.fromEntries(
    Object.entries(OPERATIONS).map(([path, methods]) => [
      path,
      Object.fromEntries(Object.entries(methods).map(([m, op]) => [m, operationObject(path, m, op)])),
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'oss-live-emulator admin API',
      version,
      description:
        'Under /-/ on the HTTP port; not signed; refuses foreign Origins, cross-site browser requests and form-encoded bodies. ' +
        'Send JSON bodies with content-type application/json (curl: -H "content-type: application/json").',
    },
    paths,
    components: {
      schemas: {
        AdminError: {
          type: 'object',
          properties: { code: { type: 'string' }, message: { type: 'string' } },
          required: ['code', 'message'],
        },
      },
    },
  };
}

/** Fastify route path (`:bucket`) as OpenAPI writes it (`{bucket}`). */
export const openApiPath = (url: string): string => url.replace(/:(\w+)/g, '{$1}');

const registered = new WeakMap<FastifyInstance, Array<{ method: string; path: string }>>();

/**
 * Records every admin route registered from now on (call before any route): the OpenAPI test checks the document
 * against them. Returns the live list.
 */
export function collectAdminRoutes(app: FastifyInstance): void {
  const list: Array<{ method: string; path: string }> = [];
  registered.set(app, list);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/-/')) return;
    for (const method of [route.method].flat())
      if (method !== 'HEAD') list.push({ method: method.toLowerCase(), path: openApiPath(route.url) });
  });
}

/** The routes of the admin app (the HTTP server answers the health check itself: health-check.ts). */
export const registeredAdminRoutes = (app: FastifyInstance): ReadonlyArray<{ method: string; path: string }> => registered.get(app) ?? [];

export function registerOpenApiRoute(app: FastifyInstance, version: string): void {
  const document = adminOpenApi(version);
  app.get('/-/openapi.json', async (_request, reply) => reply.header('cache-control', 'no-store').send(document));
}
