import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Credentials } from '../auth/credentials.js';
import type { FaultRules } from '../faults/fault-rules.js';
import type { OperationName } from '../oss/detect-operation.js';
import type { Operation } from '../oss/operation.js';
import type { AdminApp, AdminAppOptions } from './admin-app.js';
import { adminExtraHosts } from './admin-guard.js';
import { RequestLog } from './admin/request-log.js';
import { errorAnswer } from './error-reply.js';
import { createHealthRoute } from './health-check.js';
import { createHttpServer } from './http-server.js';
import { createOssFront } from './oss-front.js';
import type { PipelineConfig } from './pipeline.js';
import { newRequestId } from './request-id.js';

/** The settings the HTTP adapter reads (a slice of the emulator's Config). */
export interface HttpConfig extends PipelineConfig {
  /** The address the listeners bind to (the admin guard accepts it as a Host). */
  host: string;
  /** An HTTP request (headers and body) must arrive within this long (408 otherwise). */
  httpRequestTimeoutMs: number;
}

export interface HttpAppOptions extends AdminAppOptions {
  /** Injected faults the pipeline applies. */
  faults: FaultRules;
  config: HttpConfig;
  credentials: Credentials;
  operations: Record<OperationName, Operation>;
  /** Where answered OSS requests are kept for the console (one is made when not given). */
  requestLog?: RequestLog;
}

/** The HTTP side of the emulator: one server (not listening: the emulator hands it the HTTP connections it accepts). */
export interface HttpApp {
  server: Server;
  /**
   * The admin app under `/-/` (Fastify), built on first use: this builds it if no request has yet. Ready once a request
   * went through it (or after `fastify.ready()`); until then routes may still be added.
   */
  admin(): Promise<AdminApp>;
  /** Whether the admin app has been built (by a request under `/-/` other than the health check, or by `admin()`). */
  adminBuilt(): boolean;
  close(): Promise<void>;
}

/**
 * Builds the HTTP side: OSS requests are answered on Node's `http` directly (oss-front.ts), the health check by
 * health-check.ts, and the rest of `/-/` by the admin app (admin-app.ts, on Fastify), which is loaded on the first
 * such request: an emulator that only serves OSS requests and health checks never loads Fastify.
 */
export function buildHttpApp(options: HttpAppOptions): HttpApp {
  const requestLog = options.requestLog ?? new RequestLog();
  const log = options.logger;
  const ossFront = createOssFront({
    services: options.services,
    config: options.config,
    credentials: options.credentials,
    operations: options.operations,
    faults: options.faults,
    requestLog,
    log,
  });
  const health = createHealthRoute(options.admin, { extraHosts: adminExtraHosts(options.config.publicHost, options.config.host) }, log);
  let adminApp: Promise<AdminApp> | undefined;
  const admin = (): Promise<AdminApp> =>
    (adminApp ??= import('./admin-app.js').then(({ buildAdminApp }) => buildAdminApp(options, requestLog, ossFront)));
  const readyAdmin = async (): Promise<AdminApp> => {
    const app = await admin();
    await app.fastify.ready();
    return app;
  };
  const server = createHttpServer({
    requestTimeoutMs: options.config.httpRequestTimeoutMs,
    keepAliveTimeoutMs: 65_000,
    admin: (req, res) => {
      if (health.matches(req)) return health.answer(req, res, newRequestId());
      readyAdmin().then(
        (app) => app.handle(req, res),
        (err: unknown) => answerAdminUnavailable(req, res, err, log),
      );
    },
    oss: (req, res) => ossFront(req, res, newRequestId()),
  });
  return {
    server,
    admin,
    adminBuilt: () => adminApp !== undefined,
    close: async () => {
      // Closing the admin app ends its open event streams; one never built has nothing to close.
      if (adminApp) await (await adminApp.catch(() => undefined))?.fastify.close();
    },
  };
}

/**
 * The admin app could not be built (a broken install): every `/-/` request but the health check gets the 500 of the
 * one error answer, which logs why.
 */
function answerAdminUnavailable(req: IncomingMessage, res: ServerResponse, err: unknown, log: HttpAppOptions['logger']): void {
  const requestId = newRequestId();
  const answer = errorAnswer(err, req.method ?? 'GET', requestId, req.headers.host ?? '', log);
  res.writeHead(answer.status, { 'x-oss-request-id': requestId, server: 'AliyunOSS', ...answer.headers });
  res.end(answer.body);
}
