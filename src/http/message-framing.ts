import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { answerUnparsable } from './error-reply.js';

/**
 * Per connection, the request that had both `Transfer-Encoding: chunked` and `Content-Length`: the connection closes
 * after its answer, and nothing read behind it is executed.
 */
const closingAfter = new WeakMap<Socket, IncomingMessage>();

/**
 * Where Node's parser reads a connection with llhttp's chunked-length leniency (`src/net/hand-over-http.ts`), the
 * checks that leniency leaves to the request handler; call it first for every request, go on only when it returns
 * true (otherwise the request is refused or ignored here):
 * - a request behind one that had both framings is never executed (nor answered: the connection closes after that
 *   request's answer), as a proxy reading the Content-Length would have sent it as another request's body;
 * - a Transfer-Encoding not ending in chunked gets the 400 Node's strict parser gave (llhttp would read the body up
 *   to the end of the connection), written like every unparsable request's answer, and the connection closes;
 * - both framings: chunked wins (the parser read it so), the Content-Length goes, and the connection closes after the
 *   answer (RFC 9112 §6.1). ali-oss `putStream` given a `contentLength` and a chunked Transfer-Encoding sends both.
 */
export function admitRequestFraming(req: IncomingMessage, res: ServerResponse): boolean {
  const socket = req.socket;
  if (closingAfter.has(socket)) return false;
  const transferEncoding = req.headers['transfer-encoding'];
  if (transferEncoding === undefined) return true;
  const coding = finalCoding(transferEncoding);
  if (coding === undefined) return true; // only empty values: llhttp saw no Transfer-Encoding
  if (coding !== 'chunked' || tabHiddenAfterChunked(socket)) {
    answerUnparsable(socket, 'HPE_INVALID_TRANSFER_ENCODING');
    return false;
  }
  if (req.headers['content-length'] !== undefined) {
    delete req.headers['content-length'];
    res.shouldKeepAlive = false;
    closingAfter.set(socket, req);
  }
  return true;
}

/**
 * The connection closes after its request with both framings, whose body has been read: a parse error behind it is
 * not answered (the bytes behind such a request are dropped, not judged). Until then errors are answered as usual.
 */
export function closingAfterComplete(socket: Socket): boolean {
  return closingAfter.get(socket)?.complete === true;
}

/**
 * The last coding llhttp read, lower-case: the last non-empty element of the Transfer-Encoding values as Node joined
 * them (`, `), leading blanks dropped (llhttp skips them, Node already trimmed the trailing ones); undefined when all
 * are empty (llhttp sets no Transfer-Encoding for an empty value).
 */
export function finalCoding(value: string): string | undefined {
  const codings = value.split(',');
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!.replace(/^[ \t]+/, '');
    if (coding !== '') return coding.toLowerCase();
  }
  return undefined;
}

/**
 * `chunked` followed by blanks that include a tab: llhttp takes only spaces there, so it did not read the request as
 * chunked, while Node's trimmed value says `chunked`. Seen in the bytes the parser is reading now (the read that
 * completed the head; a head cut into several reads before its Transfer-Encoding line is not seen).
 */
function tabHiddenAfterChunked(socket: Socket): boolean {
  const current = (socket as unknown as { parser?: { getCurrentBuffer?(): Buffer } }).parser?.getCurrentBuffer?.();
  if (!current) return false;
  for (const line of current.toString('latin1').matchAll(TRANSFER_ENCODING_LINE)) {
    if (CHUNKED_THEN_TAB.test(line[1]!)) return true;
  }
  return false;
}

const TRANSFER_ENCODING_LINE = /\r\ntransfer-encoding:([^\r\n]*)\r\n/gi;
const CHUNKED_THEN_TAB = /(?:^|,)[ \t]*chunked *\t[ \t]*$/i;
