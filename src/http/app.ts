import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Credentials } from '../auth/credentials.js';
import type { OperationName } from '../oss/detect-operation.js';
import { ossErrors } from '../oss/wire/errors.js';
import type { Operation, OperationServices } from '../oss/operation.js';
import { installAdminGuard } from './admin-guard.js';
import { registerAdminRoutes, type AdminServices } from './admin-routes.js';
import { registerTestControlRoutes, type TestControlServices } from './admin/index.js';
import { collectAdminRoutes, registerOpenApiRoute } from './admin/openapi.js';
import type { FaultRules } from '../faults/fault-rules.js';
import type { PinoLogger } from '../shared/logger.js';
import { errorXml, sendFastifyError } from './error-reply.js';
import type { PipelineConfig } from './pipeline.js';
import { lazySchemaCompilers } from './schema-compilers.js';
import { RequestLog } from './admin/request-log.js';
import { registerConsoleApi } from './admin/console-api.js';
import { registerInitRoutes } from './admin/init-routes.js';
import { registerConsoleRoutes } from './console/console-routes.js';
import { createHttpServer } from './http-server.js';
import { createOssFront } from './oss-front.js';
import { newRequestId } from './request-id.js';

/** The settings the HTTP adapter reads (a slice of the emulator's Config). */
export interface HttpConfig extends PipelineConfig {
  /** The address the listeners bind to (the admin guard accepts it as a Host). */
  host: string;
  /** An HTTP request (headers and body) must arrive within this long (408 otherwise). */
  httpRequestTimeoutMs: number;
}

export interface HttpAppOptions {
  /** What operations get as `ctx.services`. */
  services: OperationServices;
  /** What the admin routes under `/-/` read. */
  admin: AdminServices;
  /** What the test-control routes (clock, events, faults, kick) use. */
  testControls: TestControlServices;
  /** Injected faults the pipeline applies. */
  faults: FaultRules;
  config: HttpConfig;
  credentials: Credentials;
  operations: Record<OperationName, Operation>;
  logger: PinoLogger;
  /** POST /-/reset: end every publish, then wipe all state. */
  reset(): Promise<void>;
  /** Where answered OSS requests are kept for the console (one is made when not given). */
  requestLog?: RequestLog;
  /** The ports actually bound, for the URLs the console hands out (known once listening). */
  ports?(): { http: number; rtmp: number };
}

/**
 * Builds the HTTP side: OSS requests are answered on Node's `http` directly (oss-front.ts), the admin API under `/-/`
 * by Fastify. The Fastify app is returned; `app.server` is the one HTTP server, not listening: the emulator owns the
 * sockets and hands HTTP connections over.
 */
export function buildHttpApp(options: HttpAppOptions): FastifyInstance {
  const requestLog = options.requestLog ?? new RequestLog();
  const ossFront = createOssFront({
    services: options.services,
    config: options.config,
    credentials: options.credentials,
    operations: options.operations,
    faults: options.faults,
    requestLog,
    log: options.logger,
  });
  const app = Fastify({
    serverFactory: (adminHandler) =>
      createHttpServer({
        requestTimeoutMs: options.config.httpRequestTimeoutMs,
        keepAliveTimeoutMs: 65_000,
        admin: adminHandler,
        oss: (req, res) => ossFront(req, res, newRequestId()),
      }),
    loggerInstance: options.logger,
    genReqId: newRequestId,
    requestIdHeader: false,
    // One debug line per request (onResponse below) instead of Fastify's two info lines: players poll every second.
    logController: new LogController({ disableRequestLogging: true }),
    // Keys may be long and hold any character: never let the router reject or rewrite them.
    routerOptions: { maxParamLength: 4096, ignoreTrailingSlash: false, ignoreDuplicateSlashes: false },
    bodyLimit: 5 * 1024 * 1024 * 1024,
    // ajv and fast-json-stringify only if a route ever declares a schema (none does): less to load at startup.
    schemaController: { compilersFactory: lazySchemaCompilers },
    // Router-level failures (a path that is not valid percent-encoding) answer in OSS XML too.
    frameworkErrors: (err, request, reply) => sendFastifyError(err, request, reply),
    // Requests Node's HTTP parser cannot read still get an OSS error body, not Fastify's JSON.
    clientErrorHandler: (err, socket) => {
      if (!socket.writable) return socket.destroy();
      const body = errorXml(
        ossErrors.invalidRequest(`The request could not be parsed (${(err as NodeJS.ErrnoException).code ?? 'bad request'}).`),
        newRequestId(),
        '',
      );
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nServer: AliyunOSS\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  }) as unknown as FastifyInstance;

  // No pino child per request (a measurable share of a small request's cost): log lines name the request id instead.
  app.setChildLoggerFactory((logger) => logger);

  // Bodies stay streams; each operation reads what it needs (XML with a cap, object bytes straight to disk).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-oss-request-id', request.id);
    reply.header('server', 'AliyunOSS');
    done();
  });
  // Before any route is registered: every route under /-/ (admin-routes.ts or any later file) is covered.
  const { publicHost, host } = options.config;
  // Before any route: the OpenAPI test checks the document against every /-/ route registered after this.
  collectAdminRoutes(app);
  installAdminGuard(app, {
    extraHosts: [publicHost, host].filter((h): h is string => !!h).map((h) => h.replace(/:\d+$/, '').toLowerCase()),
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.log.debug({ requestId: request.id, method: request.method, url: request.url, status: reply.statusCode }, 'admin request');
    done();
  });
  app.setErrorHandler((err, request, reply) => sendFastifyError(err, request, reply));

  registerAdminRoutes(app, options.admin, options.reset);
  registerTestControlRoutes(app, { services: options.testControls });
  registerOpenApiRoute(app, '1.0.0');
  registerConsoleRoutes(app);
  registerInitRoutes(app, { services: options.services, operations: options.operations });
  registerConsoleApi(app, {
    services: options.services,
    operations: options.operations,
    requestLog,
    ports: options.ports ?? (() => ({ http: 0, rtmp: 0 })),
  });
  // A path under /-/ that no admin route serves is an OSS request to the bucket `-` (refused as OSS refuses it).
  app.setNotFoundHandler((request, reply) => {
    reply.hijack();
    ossFront(request.raw, reply.raw, request.id);
  });
  return app;
}
