import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { authenticate, type Principal } from '../auth/authenticate.js';
import type { Credentials } from '../auth/credentials.js';
import { authorize } from '../oss/access.js';
import { detectOperation, type OperationName } from '../oss/detect-operation.js';
import { ossErrors } from '../oss/wire/errors.js';
import type { Operation, OperationContext, OperationServices, OssReply } from '../oss/operation.js';
import { applyBucketCors } from './cors.js';
import { enforceReferer } from '../oss/referer/referer-rules.js';
import { readBody } from './read-body.js';
import { injectHttpFault, sendTruncated } from './fault-injection.js';
import type { FaultRule, FaultRules } from '../faults/fault-rules.js';
import { resolveTarget, type QueryPairs, type RequestTarget } from '../oss/wire/request-target.js';
import { hostPort } from '../net/host.js';
import { debugOn, type Logger } from '../shared/logger.js';
import type { OssExchange } from './oss-exchange.js';

/** The settings the pipeline reads besides the operations' own (a slice of the emulator's Config). */
export interface PipelineConfig {
  auth: boolean;
  /** `permissive` (--cors permissive) skips the buckets' CORS rules. */
  cors: 'rules' | 'permissive';
  baseDomains: readonly string[];
  publicHost: string | undefined;
}

const OWNER: Principal = { kind: 'user', accessKeyId: '(auth off)' };
const MAX_KEY_BYTES = 1023;

/**
 * The request pipeline, top to bottom: resolve bucket/key/sub-resource -> detect operation -> authenticate ->
 * authorize -> operation -> reply. Errors thrown anywhere reach the one error handler.
 */
export function createPipeline(
  services: OperationServices,
  config: PipelineConfig,
  credentials: Credentials,
  operations: Record<OperationName, Operation>,
  faults: Pick<FaultRules, 'takeHttp'>,
  log: Pick<Logger, 'debug' | 'info'>,
) {
  const { store, clock } = services;
  const cors = { store, config };
  const resolveOptions = { baseDomains: config.baseDomains, bucketExists: (name: string) => store.getBucket(name) !== undefined };

  /**
   * Answers one request. Synchronous when everything on its way is (no injected fault, a synchronous operation): no
   * promise and no microtask per request then; otherwise the promise of the answer. Throws or rejects with OssError.
   */
  return function handle(exchange: OssExchange): Promise<void> | undefined {
    const request = exchange.req;
    const host = request.headers.host ?? '';
    const target = resolveTarget(host, exchange.url, resolveOptions);
    const method = exchange.method;
    // Before anything can fail: a refusal the page may read (403, 404) carries CORS too when a rule allows the origin.
    applyBucketCors(cors, exchange, target.bucket);
    if (Buffer.byteLength(target.key) > MAX_KEY_BYTES) throw ossErrors.invalidObjectName(target.key.slice(0, 64));
    // OSS: an object name cannot start with a forward slash or a backslash.
    if (target.key.startsWith('/') || target.key.startsWith('\\')) throw ossErrors.invalidObjectName(target.key.slice(0, 64));

    const detected = detectOperation(method, target.bucket, target.key, target.query);
    if ('unsupported' in detected) {
      throw ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].includes(method)
        ? ossErrors.notImplemented(detected.unsupported)
        : ossErrors.methodNotAllowed(method);
    }
    const operation = detected.operation;
    exchange.operation = operation;
    exchange.bucket = target.bucket;
    exchange.key = target.key || undefined;
    if (debugOn(log)) log.debug({ requestId: exchange.id, operation, bucket: target.bucket, key: target.key }, 'operation');

    // Injected faults (POST /-/faults) act here: the operation is known, nothing is authenticated or changed yet.
    const fault = faults.takeHttp({ operation, method, bucket: target.bucket, key: target.key });
    if (fault) return answerWithFault(exchange, target, operation, fault);
    const result = run(exchange, target, operation);
    if (result instanceof Promise) return result.then((reply) => exchange.send(reply));
    exchange.send(result);
    return undefined;
  };

  async function answerWithFault(exchange: OssExchange, target: RequestTarget, operation: OperationName, fault: FaultRule): Promise<void> {
    const outcome = await injectHttpFault(fault, exchange, services.events, log, { operation, bucket: target.bucket, key: target.key });
    if (outcome?.kind === 'reset') return;
    const result = await run(exchange, target, operation);
    if (outcome?.kind === 'truncate' && (await sendTruncated(exchange, result, outcome.bytes))) return;
    exchange.send(result);
  }

  /** Authenticate, authorize, then the operation. */
  function run(exchange: OssExchange, target: RequestTarget, operation: OperationName): OssReply | Promise<OssReply> {
    const request = exchange.req;
    const method = exchange.method;
    const principal = config.auth
      ? authenticate(
          { method, bucket: target.bucket, key: target.key, query: target.query, headers: request.headers },
          credentials,
          clock.now(),
          clock.clientNow(),
        )
      : OWNER;
    authorize(operation, principal, target.bucket, target.key, store);
    // Hotlink protection: anonymous and URL-signed requests only (a request signed in the Authorization header is exempt).
    if (target.bucket !== undefined && !request.headers.authorization && store.getBucket(target.bucket)) {
      enforceReferer(store, target.bucket, request.headers);
    }
    return operations[operation](new PipelineContext(operation, method, target, request, principal, services, config.publicHost));
  }
}

/**
 * One request as its operation sees it. A class, not an object literal: its getter and method live on the prototype,
 * so a request allocates no closures for them.
 */
class PipelineContext implements OperationContext {
  readonly bucket: string | undefined;
  readonly key: string;
  readonly query: QueryPairs;
  readonly pathStyle: boolean;
  readonly headers: IncomingHttpHeaders;

  constructor(
    readonly operation: OperationName,
    readonly method: string,
    target: RequestTarget,
    readonly bodyStream: IncomingMessage,
    readonly principal: Principal,
    readonly services: OperationServices,
    private readonly configuredPublicHost: string | undefined,
  ) {
    this.bucket = target.bucket;
    this.key = target.key;
    this.query = target.query;
    this.pathStyle = target.pathStyle;
    this.headers = bodyStream.headers;
  }

  // Only the operations that hand out URLs read it (a regular expression and the socket's address otherwise per request).
  get publicHost(): string {
    return publicHostFor(this.bodyStream, this.configuredPublicHost);
  }

  readBody(maxBytes: number): Promise<Buffer> {
    return readBody(this.bodyStream, maxBytes);
  }
}

/**
 * host[:port] for the URLs we hand out: the configured public host, else the request's Host. Except ali-oss with an IP
 * endpoint: it sends `Host: <bucket>.oss-<region>.aliyuncs.com` (from its region setting, never with a port) while connecting
 * to the IP, so that Host leads nowhere; use the address the request actually reached. A client that really addressed
 * that name (a user mapping the domain to the emulator) sends the port with it, unless the emulator listens on 80.
 */
function publicHostFor(request: IncomingMessage, configured: string | undefined): string {
  if (configured) return configured;
  const host = request.headers.host ?? '';
  const socket = request.socket;
  const ipMode = /\.aliyuncs\.com$/i.test(host) && socket.localPort !== 80;
  if (host && !ipMode) return host;
  const address = socket.localAddress ?? '127.0.0.1';
  return hostPort(address, socket.localPort ?? 0);
}
