import { readBucketConfig } from '../oss/bucket-config-docs.js';
import {
  CORS_NOT_ALLOWED,
  CORS_NOT_ENABLED,
  corsResponseHeaders,
  matchPreflight,
  matchRequest,
  requestedHeaders,
  type CorsConfiguration,
} from '../oss/cors/cors-rules.js';
import type { Store } from '../store/store.js';
import { ossErrors } from '../oss/wire/errors.js';
import { resolveTarget, type ResolveOptions } from '../oss/wire/request-target.js';
import { isAdminPath } from './admin-guard.js';
import type { OssExchange } from './oss-exchange.js';

/** What bucket CORS reads: the buckets' rules, the --cors setting, and the domains that name a bucket in Host. */
export interface CorsServices {
  store: Store;
  config: { cors: 'rules' | 'permissive'; baseDomains: readonly string[] };
}

const EXPOSED = 'ETag, x-oss-request-id, Content-Range, Content-Length, Accept-Ranges, Last-Modified, x-oss-ec';

/**
 * `--cors permissive`: every origin allowed on every OSS request, whatever the bucket's rules (the emulator's behaviour
 * before bucket CORS rules were enforced). Never on the admin API, which must not be reachable from web pages.
 */
export function applyPermissiveCors(exchange: OssExchange): void {
  const origin = exchange.req.headers.origin;
  if (!origin || isAdminPath(exchange.url)) return;
  const headers = exchange.headers;
  headers['access-control-allow-origin'] = origin;
  headers.vary = 'Origin';
  headers['access-control-expose-headers'] = EXPOSED;
}

/**
 * CORS headers on an actual (non-preflight) request, as OSS adds them: only when one of the bucket's rules allows
 * the Origin and the method. Without a matching rule the request is still served; the browser withholds the answer.
 */
export function applyBucketCors(services: CorsServices, exchange: OssExchange, bucket: string | undefined): void {
  const origin = exchange.req.headers.origin;
  if (!origin || bucket === undefined || services.config.cors === 'permissive') return;
  const config = readBucketConfig<CorsConfiguration>(services.store, bucket, 'cors');
  const rule = config && matchRequest(config, origin, exchange.method);
  if (rule) exchange.setHeaders(corsResponseHeaders(rule, origin, config));
}

/** OPTIONS: the preflight, answered from the bucket's CORS rules (403 AccessForbidden when none allows it), as OSS. */
export function createPreflight(services: CorsServices) {
  const { store, config } = services;
  const resolveOptions: ResolveOptions = { baseDomains: config.baseDomains, bucketExists: (name) => store.getBucket(name) !== undefined };

  return function preflight(exchange: OssExchange): void {
    const request = exchange.req;
    const method = request.headers['access-control-request-method'] as string | undefined;
    const headers = request.headers['access-control-request-headers'] as string | undefined;
    const origin = request.headers.origin;
    const admin = isAdminPath(exchange.url);
    if (config.cors === 'permissive') {
      if (admin) throw ossErrors.accessForbidden(CORS_NOT_ENABLED);
      exchange.headers['access-control-allow-methods'] = method ?? 'GET, HEAD, PUT, POST, DELETE';
      if (headers) exchange.headers['access-control-allow-headers'] = headers;
      exchange.headers['access-control-max-age'] = '600';
      exchange.headers['content-length'] = 0;
      return exchange.end(200, undefined);
    }
    if (admin) throw ossErrors.accessForbidden(CORS_NOT_ENABLED);
    if (!origin) throw ossErrors.accessForbidden('CORSResponse: Insufficient information. Origin request header needed.');
    if (!method) throw ossErrors.accessForbidden('CORSResponse: Invalid Access-Control-Request-Method: null');
    const target = resolveTarget(request.headers.host ?? '', exchange.url, resolveOptions);
    if (target.bucket === undefined || !store.getBucket(target.bucket)) throw ossErrors.accessForbidden('CORSResponse: Bucket not found.');
    const rules = readBucketConfig<CorsConfiguration>(store, target.bucket, 'cors');
    if (!rules) throw ossErrors.accessForbidden(CORS_NOT_ENABLED);
    const rule = matchPreflight(rules, origin, method, requestedHeaders(headers));
    if (!rule) throw ossErrors.accessForbidden(CORS_NOT_ALLOWED);
    exchange.setHeaders(corsResponseHeaders(rule, origin, rules, headers));
    exchange.headers['content-length'] = 0;
    exchange.end(200, undefined);
  };
}
