import type { FastifyReply, FastifyRequest } from 'fastify';

const EXPOSED = 'ETag, x-oss-request-id, Content-Range, Content-Length, Accept-Ranges, Last-Modified, x-oss-ec';

/**
 * Browser players (hls.js) fetch playlists and segments cross-origin. Real OSS needs bucket CORS rules for that;
 * the emulator allows every origin so a local player works without configuration (see the gaps ledger).
 */
export function applyCors(request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  if (!origin) return;
  reply.header('access-control-allow-origin', origin);
  reply.header('vary', 'Origin');
  reply.header('access-control-expose-headers', EXPOSED);
}

export async function preflight(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const method = request.headers['access-control-request-method'];
  const headers = request.headers['access-control-request-headers'];
  reply.header('access-control-allow-methods', method ?? 'GET, HEAD, PUT, POST, DELETE');
  if (headers) reply.header('access-control-allow-headers', headers);
  reply.header('access-control-max-age', '600');
  return reply.code(200).header('content-length', 0).send();
}
