import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isAdminPath } from './admin-guard.js';
import { answerUnparsable } from './error-reply.js';
import { admitRequestFraming, closingAfterComplete } from './message-framing.js';

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
 * other one to the OSS front, once `admitRequestFraming` let it through. It never listens itself: the emulator hands
 * it the HTTP connections it accepted.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const { admin, oss } = options;
  const server = createServer(
    {
      // Node enforces requestTimeout/headersTimeout from a periodic check; run it often enough for short test timeouts.
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, options.requestTimeoutMs / 4)),
    },
    (req, res) => {
      if (!admitRequestFraming(req, res)) return;
      if (isAdminPath(req.url ?? '/')) admin(req, res);
      else oss(req, res);
    },
  );
  server.on('clientError', answerClientError);
  server.requestTimeout = options.requestTimeoutMs;
  server.keepAliveTimeout = options.keepAliveTimeoutMs;
  return server;
}

/**
 * A request Node's HTTP parser cannot read still gets an OSS error body; the connection closes. Not behind a request
 * with both framings whose body has been read: its connection closes after its answer, the bytes behind it are dropped.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!closingAfterComplete(socket)) answerUnparsable(socket, err.code);
}
