import type { FastifyReply, FastifyRequest } from 'fastify';
import { OssError, ossErrors } from '../oss/wire/errors.js';
import { renderXml, type XmlChild } from '../oss/wire/xml.js';
import { noteRequest } from './admin/request-log.js';

/** Maps anything thrown to an OssError; internals never leak into a response. */
export function toOssError(err: unknown): OssError {
  if (err instanceof OssError) return err;
  const status = (err as { statusCode?: number }).statusCode;
  const code = (err as { code?: string }).code;
  if (status === 413 || code === 'FST_ERR_CTP_BODY_TOO_LARGE') return ossErrors.entityTooLarge(0);
  if (code === 'FST_ERR_BAD_URL' || code === 'FST_ERR_ASYNC_CONSTRAINT') return ossErrors.invalidArgument('The request URI is not valid.');
  if (status !== undefined && status >= 400 && status < 500) return ossErrors.invalidArgument((err as Error).message);
  return ossErrors.internal();
}

export function errorXml(err: OssError, requestId: string, hostId: string): string {
  const children: XmlChild[] = [
    ['Code', err.code],
    ['Message', err.message],
    ['RequestId', requestId],
    ['HostId', hostId],
    ...err.extra,
    err.ec !== undefined && ['EC', err.ec],
    err.ec !== undefined && ['RecommendDoc', `https://api.aliyun.com/troubleshoot?q=${err.ec}`],
  ];
  return renderXml('Error', children);
}

/** The one error handler: OSS error XML (no body for HEAD, as OSS; the XML goes base64 in x-oss-err instead). */
export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const ossError = toOssError(err);
  noteRequest(request, { code: ossError.code, message: ossError.message, ec: ossError.ec });
  if (ossError.status >= 500) request.log.error({ requestId: request.id, err }, 'internal error');
  else request.log.debug({ requestId: request.id, code: ossError.code }, ossError.message);
  const xml = errorXml(ossError, request.id, request.headers.host ?? '');
  reply.code(ossError.status);
  if (ossError.ec !== undefined) reply.header('x-oss-ec', ossError.ec);
  reply.headers(ossError.headers);
  // An unread oversized body must not be drained or reused: close the connection after the reply.
  if (ossError.code === 'EntityTooLarge') reply.header('connection', 'close');
  if (request.method === 'HEAD') {
    return reply.header('x-oss-err', Buffer.from(xml).toString('base64')).send();
  }
  return reply.type('application/xml').send(xml);
}
