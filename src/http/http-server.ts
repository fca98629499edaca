import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isAdminPath } from './admin-guard.js';

export interface HttpServerOptions {
  /** An HTTP request (headers and body) must arrive within this long (408 otherwise). */
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** The admin API and the console's own routes, under `/-/` (Fastify's handler). */
  admin(req: IncomingMessage, res: ServerResponse): void;
  /** Every other request: the OSS API. */
  oss(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * The one HTTP server of the emulator's port: requests under `/-/` (also percent-encoded) go to the admin API, every
 * other one to the OSS front. It never listens itself: the emulator hands it the HTTP connections it accepted.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const { admin, oss } = options;
  const server = createServer(
    {
      // Node enforces requestTimeout/headersTimeout from a periodic check; run it often enough for short test timeouts.
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, options.requestTimeoutMs / 4)),
    },
    (req, res) => (isAdminPath(req.url ?? '/') ? admin(req, res) : oss(req, res)),
  );
  server.requestTimeout = options.requestTimeoutMs;
  server.keepAliveTimeout = options.keepAliveTimeoutMs;
  return server;
}
