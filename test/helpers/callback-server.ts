/** An upload-callback server on loopback for the callback tests: records every request it gets. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CallbackHit {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface CallbackServer {
  port: number;
  /** Every request received, oldest first. */
  seen: CallbackHit[];
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (a port of its own); `/fail` answers 500, any other path 200 with the JSON `answer` gives for
 * the request (by default `{ ok: true, got: <the body> }`).
 */
export async function startCallbackServer(
  answer: (hit: CallbackHit) => unknown = (hit) => ({ ok: true, got: hit.body }),
): Promise<CallbackServer> {
  const seen: CallbackHit[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const hit = { url: req.url ?? '', headers: req.headers, body };
      seen.push(hit);
      if (req.url === '/fail') res.writeHead(500).end('no');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(hit)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
