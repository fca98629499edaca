import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { consoleHtml, consoleScript, hlsScript } from './console-assets.js';

/**
 * A browser opening the emulator's root: a navigation (Accept text/html) with no OSS credentials, to `/` with no bucket
 * in the Host. SDK requests (signed, or not asking for HTML) keep getting the OSS API: ListBuckets is unchanged.
 */
export function isConsoleNavigation(request: FastifyRequest, hostNamesBucket: boolean): boolean {
  if (request.method !== 'GET' || hostNamesBucket) return false;
  const url = request.raw.url ?? '/';
  if (url !== '/' && !url.startsWith('/?')) return false;
  if (request.headers.authorization !== undefined) return false;
  if (/[?&](OSSAccessKeyId|Signature|x-oss-signature|x-oss-credential)=/i.test(url)) return false;
  return /\btext\/html\b/.test(String(request.headers.accept ?? ''));
}

export function sendConsolePage(reply: FastifyReply): FastifyReply {
  return reply.code(200).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(consoleHtml());
}

/** GET /-/console (the page), /-/console/app.js (the bundle), /-/console/hls.js (hls.js from node_modules). */
export function registerConsoleRoutes(app: FastifyInstance): void {
  app.get('/-/console', async (_request, reply) => sendConsolePage(reply));
  app.get('/-/console/app.js', async (_request, reply) =>
    reply
      .header('cache-control', 'no-cache')
      .type('text/javascript; charset=utf-8')
      .send(await consoleScript()),
  );
  app.get('/-/console/hls.js', async (_request, reply) =>
    reply
      .header('cache-control', 'max-age=3600')
      .type('text/javascript; charset=utf-8')
      .send(await hlsScript()),
  );
}
