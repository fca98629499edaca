import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PinoLogger } from '../shared/logger.js';
import { adminRefusal, refusalBody, REFUSAL_HEADERS, type AdminGuardOptions } from './admin-guard.js';

export const HEALTH_PATH = '/-/health';

/** What the health check reports: the emulator's clock and who is live. */
export interface HealthServices {
  clock: { now(): number };
  live: { all(): readonly unknown[] };
}

export interface HealthRoute {
  /** GET or HEAD of `/-/health` (with or without a query). */
  matches(req: IncomingMessage): boolean;
  answer(req: IncomingMessage, res: ServerResponse, requestId: string): void;
}

/**
 * `GET /-/health` (and HEAD), answered by the one HTTP server itself rather than the admin app: ready checks (Docker's
 * healthcheck, CI scripts) poll it, and answering them must not load Fastify into an emulator that otherwise only
 * serves OSS requests. The admin guard applies as on every `/-/` route; the answer is what the admin app's JSON routes
 * send. Uptime counts from when the route was made (at startup).
 */
export function createHealthRoute(services: HealthServices, guard: AdminGuardOptions, log: PinoLogger): HealthRoute {
  const startedMs = services.clock.now();
  return {
    matches: (req) =>
      (req.method === 'GET' || req.method === 'HEAD') &&
      req.url !== undefined &&
      req.url.startsWith(HEALTH_PATH) &&
      (req.url.length === HEALTH_PATH.length || req.url.charCodeAt(HEALTH_PATH.length) === 0x3f) /* ? */,
    answer(req, res, requestId) {
      const refusal = adminRefusal(req, guard);
      const body = refusal
        ? refusalBody(refusal)
        : { status: 'ok', uptimeMs: services.clock.now() - startedMs, livePublishes: services.live.all().length };
      if (refusal) log.warn({ requestId, url: req.url, origin: req.headers.origin }, refusal.message);
      const json = JSON.stringify(body);
      res.writeHead(refusal?.status ?? 200, {
        'x-oss-request-id': requestId,
        server: 'AliyunOSS',
        ...(refusal ? REFUSAL_HEADERS : { 'content-type': 'application/json; charset=utf-8' }),
        'content-length': Buffer.byteLength(json),
      });
      res.end(req.method === 'HEAD' ? undefined : json);
      log.debug({ requestId, method: req.method, url: req.url, status: res.statusCode }, 'admin request');
    },
  };
}
