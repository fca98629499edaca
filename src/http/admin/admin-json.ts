import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { ClockError } from '../../shared/clock.js';

/** An admin API refusal: JSON `{ code, message }` with an HTTP status (the admin API speaks JSON, not OSS XML). */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string): AdminError => new AdminError(400, 'InvalidArgument', message);
export const notFound = (message: string): AdminError => new AdminError(404, 'NotFound', message);

const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/** The JSON object a request carries (`{}` for none). Admin bodies are small: larger ones are refused. */
export async function readJsonBody(request: FastifyRequest, maxBytes = MAX_ADMIN_BODY_BYTES): Promise<Record<string, unknown>> {
  const stream = (request.body as Readable | undefined) ?? request.raw;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new AdminError(413, 'EntityTooLarge', `this admin request body is limited to ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidArgument('the body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidArgument('the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** Query parameters as one object (the last value wins), so `PUT /-/clock?advance=1h` works without a body. */
export function queryObject(request: FastifyRequest): Record<string, string> {
  const url = request.raw.url ?? '';
  const q = url.indexOf('?');
  return q === -1 ? {} : Object.fromEntries(new URLSearchParams(url.slice(q + 1)));
}

/** Body fields over query fields: what a PUT/POST asked for, whichever way the caller sent it. */
export async function requestFields(request: FastifyRequest): Promise<Record<string, unknown>> {
  return { ...queryObject(request), ...(await readJsonBody(request)) };
}

export function sendAdminError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = err instanceof AdminError ? err : err instanceof ClockError ? invalidArgument(err.message) : undefined;
  if (!known) request.log.error({ requestId: request.id, err }, 'admin request failed');
  const status = known?.status ?? 500;
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ code: known?.code ?? 'InternalError', message: known?.message ?? 'The admin request failed; see the emulator log.' });
}

/** An encapsulated Fastify context for admin routes: JSON errors instead of the OSS XML error handler. */
export function adminScope(app: FastifyInstance, register: (scope: FastifyInstance) => void): void {
  void app.register(async (scope) => {
    scope.setErrorHandler(sendAdminError);
    register(scope);
  });
}

export const optionalBoolean = (fields: Record<string, unknown>, name: string): boolean | undefined => {
  const v = fields[name];
  if (v === undefined || v === '') return undefined;
  if (v === true || v === 'true' || v === '1') return true;
  if (v === false || v === 'false' || v === '0') return false;
  throw invalidArgument(`${name} must be true or false`);
};

export const optionalString = (fields: Record<string, unknown>, name: string): string | undefined => {
  const v = fields[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw invalidArgument(`${name} must be a non-empty string`);
  return v;
};
