import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Credentials } from '../auth/credentials.js';
import type { FaultRules } from '../faults/fault-rules.js';
import type { OperationName } from '../oss/detect-operation.js';
import type { Operation, OperationServices } from '../oss/operation.js';
import { ossErrors } from '../oss/wire/errors.js';
import { resolveTarget } from '../oss/wire/request-target.js';
import { debugOn, type Logger } from '../shared/logger.js';
import type { RequestLog } from './admin/request-log.js';
import { consolePage, isConsoleNavigation } from './console/console-routes.js';
import { applyPermissiveCors, createPreflight } from './cors.js';
import { sendError } from './error-reply.js';
import { OssExchange } from './oss-exchange.js';
import { createPipeline, type PipelineConfig } from './pipeline.js';

export interface OssFrontOptions {
  services: OperationServices;
  config: PipelineConfig;
  credentials: Credentials;
  operations: Record<OperationName, Operation>;
  faults: Pick<FaultRules, 'takeHttp'>;
  /** Where answered OSS requests are kept for the console. */
  requestLog: RequestLog;
  log: Pick<Logger, 'debug' | 'info' | 'error'>;
}

/** The exchange a response answers, for the shared 'finish' listener. */
const EXCHANGE = Symbol('oss exchange');
type AnsweringResponse = ServerResponse & { [EXCHANGE]?: OssExchange };

/** The methods OSS answers (OPTIONS: the CORS preflight); any other gets 405 MethodNotAllowed. */
const OSS_METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);

/**
 * Answers OSS requests on Node's `http` directly (the admin API under `/-/` stays on Fastify): the common headers and
 * permissive CORS, the preflight, the web console's page at `/`, the pipeline, the one error answer, and, once the
 * answer is sent, the request log, the `request-failed` event and the log line.
 */
export function createOssFront(options: OssFrontOptions): (req: IncomingMessage, res: ServerResponse, requestId: string) => void {
  const { services, config, requestLog, log } = options;
  const { store, events, clock } = services;
  const handle = createPipeline(services, config, options.credentials, options.operations, options.faults, log);
  const preflight = createPreflight({ store, config });
  const resolveOptions = { baseDomains: config.baseDomains, bucketExists: (name: string) => store.getBucket(name) !== undefined };
  const permissive = config.cors === 'permissive';

  /** Once the answer is sent (not for a reset connection or a cut answer, which never finish). */
  const answered = (exchange: OssExchange): void => {
    const r = requestLog.record(exchange, exchange.res.statusCode, clock.now());
    // Every OSS error answer is also an event (tests' waitFor, GET /-/events).
    if (r.code !== undefined) {
      events.emit('request-failed', {
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
      log.info(
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
    } else if (debugOn(log)) {
      log.debug({ requestId: r.id, operation: r.operation, method: r.method, url: r.url, status: r.status, ms: r.ms }, 'request');
    }
  };

  // One listener for every response ('finish' comes once): no closure or once-wrapper per request.
  const onFinish = function (this: AnsweringResponse): void {
    answered(this[EXCHANGE]!);
  };

  // Shared by every exchange (called as exchange.onStreamError): no closure per request.
  const failStream = function (this: OssExchange, err: unknown): void {
    fail(this, err);
  };
  const hostNamesBucket = (host: string) => resolveTarget(host, '/', resolveOptions).bucket !== undefined;

  const fail = (exchange: OssExchange, err: unknown): void => {
    // Too late for an answer (a stream failed after its first bytes, the client left): end the connection.
    if (exchange.res.headersSent || exchange.res.destroyed) {
      log.debug({ requestId: exchange.id, err }, 'request failed after its answer started');
      exchange.res.destroy();
      return;
    }
    sendError(exchange, err, log);
  };

  return function ossFront(req, res, requestId) {
    const exchange = new OssExchange(req, res, requestId);
    if (permissive) applyPermissiveCors(exchange);
    const method = exchange.method;
    // A browser opening the root gets the web console's page, which is not an OSS request.
    if (isConsoleNavigation(method, exchange.url, req.headers, hostNamesBucket)) {
      log.debug({ requestId, method, url: exchange.url, status: 200 }, 'admin request');
      const page = consolePage();
      exchange.setHeaders(page.headers);
      return exchange.end(200, page.body);
    }
    (res as AnsweringResponse)[EXCHANGE] = exchange;
    res.on('finish', onFinish);
    exchange.onStreamError = failStream;
    try {
      if (method === 'OPTIONS') return preflight(exchange);
      if (!OSS_METHODS.has(method)) throw ossErrors.methodNotAllowed(method);
      handle(exchange)?.catch((err: unknown) => fail(exchange, err));
    } catch (err) {
      fail(exchange, err);
    }
  };
}
