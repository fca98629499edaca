import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Every admin route lives under this prefix (no bucket can be named `-`). */
export const ADMIN_PREFIX = '/-/';

/** Body types a cross-site page can send without a CORS preflight (HTML forms, `fetch(..., {mode: 'no-cors'})`). */
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const SAFE_METHODS = new Set(['GET', 'HEAD']);

export interface AdminGuardOptions {
  /** Host names besides loopback and dotless (container) names a browser may reach the admin API by: --public-host, --host. */
  extraHosts: readonly string[];
}

/** The path of a request, percent-decoded, so `/%2D/reset` is recognised as admin too. */
/** Host names besides loopback and dotless names the guard accepts: --public-host and --host (ports dropped). */
export function adminExtraHosts(publicHost: string | undefined, host: string | undefined): string[] {
  return [publicHost, host].filter((h): h is string => !!h).map((h) => h.replace(/:\d+$/, '').toLowerCase());
}

function decodedPath(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** A path under the admin API (`/-/…`, also percent-encoded as `/%2D/…`), or `/-` itself. */
export function isAdminPath(url: string): boolean {
  // Only `/-…` and `/%2…` can decode to `/-`: every other request skips the decoding.
  if (url.charCodeAt(1) !== 0x2d && !url.startsWith('/%2')) return false;
  const path = decodedPath(url);
  return path.startsWith(ADMIN_PREFIX) || path === '/-';
}

export function isAdminRequest(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  if (route !== undefined && route.startsWith(ADMIN_PREFIX)) return true;
  return isAdminPath(request.url);
}

const hostName = (hostHeader: string): string => {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
};

/**
 * Names a browser page may legitimately use for the emulator: IP literals, localhost, dotless names (a compose service)
 * and the configured ones. Anything else arriving with browser headers is a DNS-rebinding page (evil.example resolving
 * to 127.0.0.1 is "same origin" with itself).
 */
function isTrustedHost(name: string, extra: readonly string[]): boolean {
  if (isIP(name) !== 0) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name !== '' && !name.includes('.')) return true;
  return extra.includes(name);
}

/** Why a request to the admin API is refused, or undefined when it may proceed. */
/** Why the guard refuses a request: the status and the message of its JSON answer. */
export interface AdminRefusal {
  status: number;
  message: string;
}

/** What the guard reads of a request (a Fastify request or Node's IncomingMessage). */
export interface GuardedRequest {
  method?: string | undefined;
  headers: IncomingHttpHeaders;
}

export function adminRefusal(request: GuardedRequest, options: AdminGuardOptions): AdminRefusal | undefined {
  const headers = request.headers;
  const host = headers.host ?? '';
  const origin = headers.origin;
  const fetchSite = headers['sec-fetch-site'];
  const fetchMode = headers['sec-fetch-mode'];
  const method = request.method ?? '';
  const navigation = SAFE_METHODS.has(method) && fetchMode === 'navigate';

  if (origin !== undefined) {
    let own = false;
    try {
      const parsed = new URL(origin);
      own = origin !== 'null' && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host === host.toLowerCase();
    } catch {
      own = false;
    }
    if (!own)
      return { status: 403, message: `The admin API refuses requests from origin ${origin} (only the emulator's own origin may call it).` };
  }
  // Browsers send Sec-Fetch-Site on every request (also on GETs that carry no Origin): only the emulator's own pages,
  // typed URLs and links that navigate to it pass.
  if (typeof fetchSite === 'string' && fetchSite !== 'same-origin' && fetchSite !== 'none' && !navigation) {
    return { status: 403, message: `The admin API refuses ${fetchSite} browser requests.` };
  }
  if ((origin !== undefined || fetchSite === 'same-origin') && !isTrustedHost(hostName(host), options.extraHosts)) {
    return { status: 403, message: `The admin API refuses browser requests addressed to host ${host} (use localhost or an IP address).` };
  }
  if (!SAFE_METHODS.has(method)) {
    const type = String(headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (FORM_TYPES.has(type)) {
      return { status: 415, message: `The admin API refuses ${type} bodies (a web page can send those cross-site); send JSON or no body.` };
    }
  }
  return undefined;
}

/** The JSON body of a refusal. */
export const refusalBody = ({ status, message }: AdminRefusal): { code: string; message: string } => ({
  code: status === 415 ? 'UnsupportedMediaType' : 'AccessDenied',
  message,
});

/** The headers of a refusal besides the request id and Server: not cached, and the connection closes. */
export const REFUSAL_HEADERS = { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8', connection: 'close' };

function refuse(reply: FastifyReply, refusal: AdminRefusal): FastifyReply {
  return reply.code(refusal.status).headers(REFUSAL_HEADERS).send(refusalBody(refusal));
}

/**
 * One guard for the whole admin API: an onRequest hook on the root instance, so it runs for every route under `/-/`
 * (registered before or after it, in any plugin) and for `/-/` paths that only the OSS catch-all route matches.
 * It runs before any body is read, so a refused request changes nothing.
 */
export function installAdminGuard(app: FastifyInstance, options: AdminGuardOptions): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (!isAdminRequest(request)) return done();
    const refusal = adminRefusal(request, options);
    if (refusal === undefined) return done();
    request.log.warn({ requestId: request.id, url: request.url, origin: request.headers.origin }, refusal.message);
    refuse(reply, refusal);
  });
}
