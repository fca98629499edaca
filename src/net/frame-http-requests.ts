import type net from 'node:net';
import { RequestFraming } from './request-framing.js';

/**
 * Puts {@link RequestFraming} between an accepted socket and the HTTP server it is about to be handed to, so that a
 * request with both `Transfer-Encoding: chunked` and `Content-Length` reaches Node's parser as the chunked request it
 * is. Call it before `server.emit('connection', socket)`; bytes already pushed back by the protocol sniffer are framed
 * too.
 *
 * The socket itself is handed on (writes, addresses and timeouts untouched). Reads are framed where net.Socket delivers
 * them, its `push`. Node's HTTP server would otherwise read the socket natively, below JavaScript, unless the socket's
 * handle is marked consumed (`_handle._consumed`, which the server checks before doing so). That mark is Node's
 * internal; were it ever ignored, the server would read natively, the framing would see nothing and such requests
 * would get the 400 they got before — never anything worse (`test/net/frame-http-requests.test.ts` notices). A Duplex
 * wrapper would avoid the internal but measured ~10 % more server CPU on 1 MiB responses.
 */
export function frameHttpRequests(socket: net.Socket): net.Socket {
  const framing = new RequestFraming();
  const handle = (socket as unknown as { _handle?: { _consumed?: boolean } })._handle;
  if (handle) handle._consumed = true;
  const pushed = socket.read() as Buffer | null;
  const push = socket.push.bind(socket);
  socket.push = (chunk: Buffer | null, encoding?: BufferEncoding): boolean => {
    if (chunk === null) return push(null);
    let more = true;
    for (const piece of framing.feed(chunk)) more = push(piece, encoding) && more;
    return more;
  };
  if (pushed) socket.unshift(Buffer.concat(framing.feed(pushed)));
  return socket;
}
