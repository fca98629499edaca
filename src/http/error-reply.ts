import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OssError, ossErrors } from '../oss/wire/errors.js';
import { renderXml, type XmlChild } from '../oss/wire/xml.js';
import type { Logger } from '../shared/logger.js';
import type { HeaderValue, OssExchange } from './oss-exchange.js';
import { newRequestId } from './request-id.js';

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

/** An error answer: status, headers and body (none for HEAD, as OSS: the XML goes base64 in x-oss-err instead). */
export interface ErrorAnswer {
  error: OssError;
  status: number;
  headers: Record<string, HeaderValue>;
  body: string | undefined;
}

/** The one error answer of the HTTP side (OSS requests and the admin API alike); logs internal errors. */
export function errorAnswer(
  err: unknown,
  method: string,
  requestId: string,
  host: string,
  log: Pick<Logger, 'debug' | 'error'>,
): ErrorAnswer {
  const error = toOssError(err);
  if (error.status >= 500) log.error({ requestId, err }, 'internal error');
  else log.debug({ requestId, code: error.code }, error.message);
  const xml = errorXml(error, requestId, host);
  const headers: Record<string, HeaderValue> = {};
  if (error.ec !== undefined) headers['x-oss-ec'] = error.ec;
  for (const name in error.headers) headers[name.toLowerCase()] = error.headers[name]!;
  // An unread oversized body must not be drained or reused: close the connection after the reply.
  if (error.code === 'EntityTooLarge') headers.connection = 'close';
  if (method === 'HEAD') {
    headers['x-oss-err'] = Buffer.from(xml).toString('base64');
    return { error, status: error.status, headers, body: undefined };
  }
  headers['content-type'] = 'application/xml';
  return { error, status: error.status, headers, body: xml };
}

/** Answers an OSS request with its error; the request log shows the Code, Message and EC. */
export function sendError(exchange: OssExchange, err: unknown, log: Pick<Logger, 'debug' | 'error'>): void {
  const answer = errorAnswer(err, exchange.method, exchange.id, exchange.req.headers.host ?? '', log);
  exchange.code = answer.error.code;
  exchange.message = answer.error.message;
  exchange.ec = answer.error.ec;
  exchange.setHeaders(answer.headers);
  exchange.end(answer.status, answer.body);
}

/** The same answer through Fastify (the admin API's error handler). */
export function sendFastifyError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const answer = errorAnswer(err, request.method, request.id, request.headers.host ?? '', request.log);
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

/**
 * The answer to a request Node's HTTP parser could not read (or one read only to be refused, `message-framing.ts`):
 * 400 InvalidRequest naming the parser's error code, written on the socket itself, and the connection closed.
 */
export function answerUnparsable(socket: Socket, code: string | undefined): void {
  if (!socket.writable) return void socket.destroy();
  const body = errorXml(ossErrors.invalidRequest(`The request could not be parsed (${code ?? 'bad request'}).`), newRequestId(), '');
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nServer: AliyunOSS\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
