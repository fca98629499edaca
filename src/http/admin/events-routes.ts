import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EventBus } from '../../events/event-bus.js';
import { EVENT_TYPES, type EmulatorEvent, type EventFilter, type EventType } from '../../events/event-types.js';
import { invalidArgument, queryObject } from './admin-json.js';

const KEEP_ALIVE_MS = 15_000;
/** A consumer this far behind (bytes queued on its socket) is cut off rather than buffered without bound. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/** `type=a,b&bucket=&channel=&key=&keyPrefix=` as an EventFilter; unknown types are refused (a typo would wait forever). */
export function filterFromQuery(query: Record<string, string>): EventFilter {
  const filter: EventFilter = {};
  if (query.type) {
    const types = query.type
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const unknown = types.filter((t) => !EVENT_TYPES.includes(t as EventType));
    if (unknown.length) throw invalidArgument(`unknown event type ${unknown.join(', ')} (known: ${EVENT_TYPES.join(', ')})`);
    filter.type = types as EventType[];
  }
  for (const field of ['bucket', 'channel', 'key', 'keyPrefix'] as const) if (query[field]) filter[field] = query[field];
  return filter;
}

function sinceOf(request: FastifyRequest, query: Record<string, string>): number | undefined {
  const raw = query.since ?? (request.headers['last-event-id'] as string | undefined);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw invalidArgument('since (or Last-Event-ID) must be an event id');
  return Number(raw);
}

/**
 * `GET /-/events`: Server-Sent Events, one `id:` + `data: <json>` message per event (the type is in the JSON).
 * `GET /-/events/recent`: the retained events as JSON, for a page that renders history before it subscribes.
 */
export function registerEventRoutes(app: FastifyInstance, events: EventBus): void {
  const open = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const end of [...open]) end();
  });

  app.get('/-/events', async (request, reply) => {
    const query = queryObject(request);
    const filter = filterFromQuery(query);
    const since = sinceOf(request, query);
    const res = reply.raw;
    reply.hijack();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-oss-request-id': request.id,
    });
    // Tells EventSource to wait 1 s before reconnecting; the comment flushes headers through proxies.
    res.write('retry: 1000\n: connected\n\n');
    let unsubscribe = (): void => {};
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    keepAlive.unref();
    const end = () => {
      unsubscribe();
      clearInterval(keepAlive);
      open.delete(end);
      if (!res.writableEnded) res.end();
    };
    const send = (e: EmulatorEvent) => {
      if (res.writableLength > MAX_QUEUED_BYTES) return end();
      res.write(`id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`);
    };
    unsubscribe = events.subscribe(filter, send);
    if (since !== undefined) for (const e of events.recent(filter, since)) send(e);
    open.add(end);
    res.once('close', end);
  });

  app.get('/-/events/recent', async (request, reply) => {
    const query = queryObject(request);
    const limit = query.limit === undefined ? 1000 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1) throw invalidArgument('limit must be a positive integer');
    const found = events.recent(filterFromQuery(query), sinceOf(request, query) ?? 0, limit);
    return reply.header('cache-control', 'no-store').send({ events: found, cursor: events.cursor() });
  });
}
