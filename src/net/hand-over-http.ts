import type { Server } from 'node:http';
import type net from 'node:net';
import { frameHttpRequests } from './frame-http-requests.js';

/**
 * Node's HTTP parser of one connection, as far as this file uses it (internals of `_http_server`, checked before use):
 * `initialize(type, asyncResource, maxHeaderSize, lenientFlags, connectionsList)`, `remove()` (out of the server's
 * connections list, kept for the request/headers timeout checks), and the class's lenient flag constants.
 */
interface NodeHttpParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenientFlags: number, connections: unknown): void;
  remove(): void;
  constructor: { REQUEST?: number; kLenientChunkedLength?: number };
}

/**
 * Hands an accepted HTTP connection to `server` so that Node reads it natively (its parser consumes the socket below
 * JavaScript) while a request carrying both `Transfer-Encoding: chunked` and `Content-Length` is still accepted the way
 * OSS accepts it (ali-oss `putStream` given both a `contentLength` and a chunked `Transfer-Encoding` sends both).
 *
 * The connection's parser is re-initialized with llhttp's one leniency for that case (`kLenientChunkedLength`: the
 * conflict is no error, chunked wins) before it has read a byte. That leniency also lets llhttp read a request whose
 * Transfer-Encoding does not end in chunked until the connection closes instead of refusing it: the server's request
 * handler must refuse those, and close after a request that had both framings (`transfer-encoding.ts` does both).
 *
 * Where this Node's parser does not offer what is needed, every read goes through {@link frameHttpRequests} instead
 * (JavaScript framing: same behaviour, ~15 % more CPU per small request).
 */
export function handOverHttpConnection(server: Server, socket: net.Socket): void {
  // Set by createServer from its options (undefined: the defaults, strict and Node's --max-http-header-size).
  const { insecureHTTPParser, maxHeaderSize } = server as { insecureHTTPParser?: boolean; maxHeaderSize?: number };
  const connections = connectionsList(server);
  if (connections === undefined || insecureHTTPParser) {
    server.emit('connection', frameHttpRequests(socket));
    return;
  }
  server.emit('connection', socket);
  const parser = (socket as unknown as { parser?: NodeHttpParser }).parser;
  const Parser = parser?.constructor;
  if (
    !parser ||
    typeof parser.remove !== 'function' ||
    typeof parser.initialize !== 'function' ||
    typeof Parser?.REQUEST !== 'number' ||
    typeof Parser.kLenientChunkedLength !== 'number'
  ) {
    // Not reachable on Node 20/22; the socket stays with Node's strict parser (both framings then get a 400).
    return;
  }
  // Out of the connections list first: it is ordered by a start time initialize() resets (re-adding in place corrupts it).
  parser.remove();
  parser.initialize(Parser.REQUEST, { type: 'HTTPINCOMINGMESSAGE', socket }, maxHeaderSize || 0, Parser.kLenientChunkedLength, connections);
}

/**
 * The server's list of connections Node checks for request/headers timeouts (`Symbol(http.server.connections)`, there
 * once the server emitted 'listening'); undefined when this server has none this file can find.
 */
function connectionsList(server: Server): object | undefined {
  const key = Object.getOwnPropertySymbols(server).find((s) => s.description === 'http.server.connections');
  const list = key === undefined ? undefined : (server as unknown as Record<symbol, unknown>)[key];
  return typeof list === 'object' && list !== null ? list : undefined;
}
