import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { consoleHtml, consoleScript, hlsScript } from './console-assets.js';

/**
 * A browser opening the emulator's root: a navigation (Accept text/html) with no OSS credentials, to `/` with no bucket
 * in the Host. SDK requests (signed, or not asking for HTML) keep getting the OSS API: ListBuckets is unchanged.
 */
export function isConsoleNavigation(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  hostNamesBucket: (host: string) => boolean,
): boolean {
  if (method !== 'GET') return false;
  if (url !== '/' && !url.startsWith('/?')) return false;
  if (headers.authorization !== undefined) return false;
  if (/[?&](OSSAccessKeyId|Signature|x-oss-signature|x-oss-credential)=/i.test(url)) return false;
  return /\btext\/html\b/.test(String(headers.accept ?? '')) && !hostNamesBucket(headers.host ?? '');
}

const PAGE_HEADERS = { 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' };

/** The console's page: its headers and HTML (at `/-/console`, and at `/` for a browser navigation). */
export const consolePage = (): { headers: Record<string, string>; body: string } => ({ headers: PAGE_HEADERS, body: consoleHtml() });

export function sendConsolePage(reply: FastifyReply): FastifyReply {
  const page = consolePage();
  return reply.code(200).headers(page.headers).send(page.body);
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
