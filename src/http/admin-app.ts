// The admin API and the web console under `/-/`, on Fastify. app.ts loads this module on the first `/-/` request it
// cannot answer itself (everything but the health check): an emulator that only serves OSS requests never loads
// Fastify (~7 MiB of an idle server's RSS, bench/RESULTS.md "Startup and idle memory").
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { OperationName } from '../oss/detect-operation.js';
import type { Operation, OperationServices } from '../oss/operation.js';
import type { PinoLogger } from '../shared/logger.js';
import { adminExtraHosts, installAdminGuard } from './admin-guard.js';
import { registerAdminRoutes, type AdminServices } from './admin-routes.js';
import { registerTestControlRoutes, type TestControlServices } from './admin/index.js';
import { collectAdminRoutes, registerOpenApiRoute } from './admin/openapi.js';
import type { RequestLog } from './admin/request-log.js';
import { registerConsoleApi } from './admin/console-api.js';
import { registerInitRoutes } from './admin/init-routes.js';
import { registerConsoleRoutes } from './console/console-routes.js';
import { sendFastifyError } from './error-reply.js';
import { newRequestId } from './request-id.js';
import { lazySchemaCompilers } from './schema-compilers.js';

/** What the admin app reads and serves (a slice of what app.ts is given). */
export interface AdminAppOptions {
  /** What the init and console routes run operations with. */
  services: OperationServices;
  /** What the admin routes under `/-/` read. */
  admin: AdminServices;
  /** What the test-control routes (clock, events, faults, kick) use. */
  testControls: TestControlServices;
  config: { publicHost: string | undefined; host: string };
  operations: Record<OperationName, Operation>;
  logger: PinoLogger;
  /** POST /-/reset: end every publish, then wipe all state. */
  reset(): Promise<void>;
  /** The ports actually bound, for the URLs the console hands out (known once listening). */
  ports?(): { http: number; rtmp: number };
}

export interface AdminApp {
  /** The Fastify instance (routes registered, ready): what tests inject requests into. */
  fastify: FastifyInstance;
  /** Answers one request under `/-/` that the one HTTP server hands over. */
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * Builds the admin app, not yet ready: routes may still be added; Fastify's `ready()` (or a first `inject`) boots it.
 * `ossFront` answers the `/-/` paths no admin route serves: they are OSS requests to the bucket
 * `-`, refused as OSS refuses them.
 */
export function buildAdminApp(
  options: AdminAppOptions,
  requestLog: RequestLog,
  ossFront: (req: IncomingMessage, res: ServerResponse, requestId: string) => void,
): AdminApp {
  let handle: AdminApp['handle'] | undefined;
  const app = Fastify({
    // Fastify never listens nor sees a connection: the one HTTP server (http-server.ts) hands it requests, and answers
    // the requests Node's parser cannot read itself. This server only carries Fastify's bookkeeping.
    serverFactory: (handler) => {
      handle = handler;
      return createServer();
    },
    loggerInstance: options.logger,
    genReqId: newRequestId,
    requestIdHeader: false,
    // One debug line per request (onResponse below) instead of Fastify's two info lines: the console polls.
    logController: new LogController({ disableRequestLogging: true }),
    // Keys may be long and hold any character: never let the router reject or rewrite them.
    routerOptions: { maxParamLength: 4096, ignoreTrailingSlash: false, ignoreDuplicateSlashes: false },
    bodyLimit: 5 * 1024 * 1024 * 1024,
    // ajv and fast-json-stringify only if a route ever declares a schema (none does): less to load.
    schemaController: { compilersFactory: lazySchemaCompilers },
    // Router-level failures (a path that is not valid percent-encoding) answer in OSS XML too.
    frameworkErrors: (err, request, reply) => sendFastifyError(err, request, reply),
  }) as unknown as FastifyInstance;

  // No pino child per request: log lines name the request id instead.
  app.setChildLoggerFactory((logger) => logger);

  // Bodies stay streams; each route reads what it needs.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-oss-request-id', request.id);
    reply.header('server', 'AliyunOSS');
    done();
  });
  const { publicHost, host } = options.config;
  // Before any route: the OpenAPI test checks the document against every /-/ route registered after this.
  collectAdminRoutes(app);
  // Before any route is registered: every route under /-/ (admin-routes.ts or any later file) is covered.
  installAdminGuard(app, { extraHosts: adminExtraHosts(publicHost, host) });
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
  return { fastify: app, handle: handle! };
}
