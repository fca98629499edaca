import type { Readable } from 'node:stream';
import { defaultFaultMessage, type FaultRule } from '../faults/fault-rules.js';
import type { EventBus } from '../events/event-bus.js';
import type { OssReply } from '../oss/operation.js';
import { OssError } from '../oss/wire/errors.js';
import { renderXml } from '../oss/wire/xml.js';
import type { Logger } from '../shared/logger.js';
import type { OssExchange } from './oss-exchange.js';

export interface FaultFacts {
  operation: string;
  bucket: string | undefined;
  key: string;
}

/** What the pipeline does next: carry on (after any latency), stop (the connection was reset), or truncate the answer. */
export type FaultOutcome = { kind: 'continue' } | { kind: 'reset' } | { kind: 'truncate'; bytes: number | undefined };

/**
 * Applies an injected fault to an OSS request: the fault-injected event, the added latency, then the action. An error
 * action throws, so the one error handler answers it (and the request log / request-failed event mark it injected).
 */
export async function injectHttpFault(
  rule: FaultRule,
  exchange: OssExchange,
  events: EventBus,
  log: Pick<Logger, 'info'>,
  facts: FaultFacts,
): Promise<FaultOutcome> {
  const { action } = rule;
  events.emit('fault-injected', {
    faultId: rule.id,
    action: action.type,
    requestId: exchange.id,
    operation: facts.operation,
    ...(facts.bucket ? { bucket: facts.bucket } : {}),
    ...(facts.key ? { key: facts.key } : {}),
    ...(action.type === 'error' ? { status: action.status, code: action.code } : {}),
  });
  exchange.injected = true;
  log.info({ requestId: exchange.id, faultId: rule.id, action: action.type }, 'injected fault');
  if (rule.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
  switch (action.type) {
    case 'error': {
      const err = new OssError(action.status, action.code, action.message ?? defaultFaultMessage(action.code));
      // The request body is not read: close after answering rather than leave the client's upload on the connection.
      if (hasBody(exchange)) err.headers.connection = 'close';
      throw err;
    }
    case 'reset':
      exchange.req.socket.resetAndDestroy();
      return { kind: 'reset' };
    case 'truncate':
      return { kind: 'truncate', bytes: action.bytes };
    default:
      return { kind: 'continue' };
  }
}

const hasBody = ({ req }: OssExchange): boolean =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

async function bodyBytes(result: OssReply): Promise<Buffer | undefined> {
  if (result.xml) return Buffer.from(renderXml(result.xml.root, result.xml.children));
  const body = result.body;
  if (body === undefined) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sends the operation's headers with the full Content-Length, then only part of the body, then closes the socket. */
/** False when there is nothing to cut (no body, HEAD): the answer is then sent whole. */
export async function sendTruncated(exchange: OssExchange, result: OssReply, bytes: number | undefined): Promise<boolean> {
  const body = await bodyBytes(result);
  if (body === undefined || body.length === 0 || exchange.method === 'HEAD') return false;
  const cut = Math.min(bytes ?? Math.floor(body.length / 2), Math.max(0, body.length - 1));
  const res = exchange.res;
  exchange.setHeaders(result.headers);
  const headers = exchange.headers;
  headers['content-length'] = body.length;
  headers.connection = 'close';
  if (result.xml) headers['content-type'] = 'application/xml';
  res.writeHead(result.status ?? 200, headers);
  res.write(body.subarray(0, cut), () => res.socket?.destroy());
  return true;
}
