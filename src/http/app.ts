import { randomBytes } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Credentials } from '../auth/credentials.js';
import type { OperationName } from '../oss/detect-operation.js';
import { ossErrors } from '../oss/wire/errors.js';
import type { Operation, OperationServices } from '../oss/operation.js';
import { installAdminGuard, isAdminRequest } from './admin-guard.js';
import { registerAdminRoutes, type AdminServices } from './admin-routes.js';
import { registerTestControlRoutes, type TestControlServices } from './admin/index.js';
import { collectAdminRoutes, registerOpenApiRoute } from './admin/openapi.js';
import type { FaultRules } from '../faults/fault-rules.js';
import { applyPermissiveCors, createPreflight } from './cors.js';
import { errorXml, sendError } from './error-reply.js';
import { createPipeline, type PipelineConfig } from './pipeline.js';
import { lazySchemaCompilers } from './schema-compilers.js';
import { RequestLog } from './admin/request-log.js';
import { registerConsoleApi } from './admin/console-api.js';
import { registerInitRoutes } from './admin/init-routes.js';
import { isConsoleNavigation, registerConsoleRoutes, sendConsolePage } from './console/console-routes.js';
import { resolveTarget } from '../oss/wire/request-target.js';

/**
 * x-oss-request-id: 24 upper-case hex characters, as OSS sends (the Java SDK's tests check the length): a random
 * per-process prefix and a counter, unique without drawing random bytes per request.
 */
const requestIdPrefix = randomBytes(4).toString('hex').toUpperCase();
let requestCounter = 0;
const newRequestId = (): string => requestIdPrefix + (requestCounter++).toString(16).toUpperCase().padStart(16, '0');

/** The settings the HTTP adapter reads (a slice of the emulator's Config). */
export interface HttpConfig extends PipelineConfig {
  /** The address the listeners bind to (the admin guard accepts it as a Host). */
  host: string;
  /** An HTTP request (headers and body) must arrive within this long (408 otherwise). */
  httpRequestTimeoutMs: number;
}

/** Content-Type headers set aside while Fastify handles the body (see the onRequest hook). */
const heldContentType = new WeakMap<object, string>();

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
  logger: FastifyServerOptions['loggerInstance'];
  /** POST /-/reset: end every publish, then wipe all state. */
  reset(): Promise<void>;
  /** Where answered OSS requests are kept for the console (one is made when not given). */
  requestLog?: RequestLog;
  /** The ports actually bound, for the URLs the console hands out (known once listening). */
  ports?(): { http: number; rtmp: number };
}

/** Builds the Fastify app (not listening: the emulator owns the sockets and hands HTTP connections over). */
export function buildHttpApp(options: HttpAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: newRequestId,
    requestIdHeader: false,
    // One debug line per request (onResponse below) instead of Fastify's two info lines: players poll every second.
    logController: new LogController({ disableRequestLogging: true }),
    // Keys may be long and hold any character: never let the router reject or rewrite them.
    routerOptions: { maxParamLength: 4096, ignoreTrailingSlash: false, ignoreDuplicateSlashes: false },
    bodyLimit: 5 * 1024 * 1024 * 1024,
    keepAliveTimeout: 65_000,
    // ajv and fast-json-stringify only if a route ever declares a schema (none does): less to load at startup.
    schemaController: { compilersFactory: lazySchemaCompilers },
    // Router-level failures (a path that is not valid percent-encoding) answer in OSS XML too.
    frameworkErrors: (err, request, reply) => sendError(err, request, reply),
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
    requestTimeout: options.config.httpRequestTimeoutMs,
    // Node enforces requestTimeout/headersTimeout from a periodic check; run it often enough for short test timeouts.
    http: { connectionsCheckingInterval: Math.min(30_000, Math.max(100, options.config.httpRequestTimeoutMs / 4)) },
  }) as unknown as FastifyInstance;

  // No pino child per request (a measurable share of a small request's cost): log lines name the request id instead.
  app.setChildLoggerFactory((logger) => logger);

  // Bodies stay streams; each operation reads what it needs (XML with a cap, object bytes straight to disk).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-oss-request-id', request.id);
    reply.header('server', 'AliyunOSS');
    if (options.config.cors === 'permissive') applyPermissiveCors(request, reply);
    // Fastify answers 415 to a Content-Type it cannot parse (`abc`, no `/`) before any handler runs; OSS stores any
    // value as given, and no body is parsed here. Set it aside for Fastify's body step, put it back before the handler
    // (not for the admin API, whose guard reads it).
    const contentType = request.headers['content-type'];
    if (contentType !== undefined && !isAdminRequest(request)) {
      heldContentType.set(request.raw, contentType);
      delete request.headers['content-type'];
    }
    done();
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const contentType = heldContentType.get(request.raw);
    if (contentType !== undefined) request.headers['content-type'] = contentType;
    done();
  });
  // Before any route is registered: every route under /-/ (admin-routes.ts or any later file) is covered.
  const { publicHost, host } = options.config;
  // Before any route: the OpenAPI test checks the document against every /-/ route registered after this.
  collectAdminRoutes(app);
  installAdminGuard(app, {
    extraHosts: [publicHost, host].filter((h): h is string => !!h).map((h) => h.replace(/:\d+$/, '').toLowerCase()),
  });
  const requestLog = options.requestLog ?? new RequestLog();
  app.addHook('onResponse', (request, reply, done) => {
    if (isAdminRequest(request) || reply.getHeader('content-type')?.toString().startsWith('text/html')) {
      request.log.debug({ requestId: request.id, method: request.method, url: request.url, status: reply.statusCode }, 'admin request');
      return done();
    }
    const r = requestLog.record(request, reply, options.services.clock.now());
    // Every OSS error answer is also an event (tests' waitFor, GET /-/events).
    if (r.code !== undefined) {
      options.services.events.emit('request-failed', {
        requestId: r.id,
        method: r.method,
        url: r.url,
        ...(r.operation ? { operation: r.operation } : {}),
        ...(r.bucket ? { bucket: r.bucket } : {}),
        ...(r.key ? { key: r.key } : {}),
        status: r.status,
        code: r.code,
        message: r.message ?? '',
        injected: r.injected,
      });
    }
    // Success stays quiet; every refused OSS request is one line at the default level: the fastest way to see why.
    if (r.status >= 400 && r.status < 500) {
      request.log.info(
        {
          requestId: r.id,
          operation: r.operation,
          method: r.method,
          bucket: r.bucket,
          key: r.key,
          status: r.status,
          code: r.code,
          ec: r.ec,
        },
        `${r.operation ?? r.method} ${r.status} ${r.code ?? ''}: ${r.message ?? ''}`,
      );
    } else {
      request.log.debug({ requestId: r.id, operation: r.operation, method: r.method, url: r.url, status: r.status, ms: r.ms }, 'request');
    }
    done();
  });
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));

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
  const handle = createPipeline(options.services, options.config, options.credentials, options.operations, options.faults);
  const preflight = createPreflight({ store: options.services.store, config: options.config });
  const { store } = options.services;
  const resolveOptions = { baseDomains: options.config.baseDomains, bucketExists: (name: string) => store.getBucket(name) !== undefined };
  // A browser opening http://127.0.0.1:8080/ gets the web console; every SDK request to `/` stays ListBuckets.
  const handleRoot = (request: Parameters<typeof handle>[0], reply: Parameters<typeof handle>[1]) =>
    isConsoleNavigation(request, resolveTarget(request.headers.host ?? '', '/', resolveOptions).bucket !== undefined)
      ? sendConsolePage(reply)
      : handle(request, reply);
  app.options('/*', preflight);
  app.options('/', preflight);
  app.route({ method: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'], url: '/*', handler: handle, exposeHeadRoute: false });
  app.route({ method: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'], url: '/', handler: handleRoot, exposeHeadRoute: false });
  app.setNotFoundHandler(async (request, reply) => sendError(ossErrors.methodNotAllowed(request.method), request, reply));
  return app;
}
