import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { handOverHttpConnection } from '../../src/net/hand-over-http.js';
import { rawExchange } from '../helpers/raw-http.js';

interface Harness {
  port: number;
  /** Whether Node's parser consumed each handed-over socket natively (below JavaScript). */
  native: boolean[];
  close(): Promise<void>;
}

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

/** An HTTP server fed by a net listener through handOverHttpConnection; answers `<method> <url> <body>`. */
async function harness(setUp: (server: Server) => void = (server) => server.emit('listening')): Promise<Harness> {
  const server = createHttpServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.end(`${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`));
  });
  setUp(server);
  const native: boolean[] = [];
  const sockets = new Set<net.Socket>();
  const listener = net.createServer((socket) => {
    sockets.add(socket);
    handOverHttpConnection(server, socket);
    native.push((socket as unknown as { parser?: { _consumed?: boolean } }).parser?._consumed === true);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const h: Harness = {
    port: (listener.address() as net.AddressInfo).port,
    native,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await new Promise((resolve) => listener.close(resolve));
    },
  };
  harnesses.push(h);
  return h;
}

const bothFramings =
  'PUT /both HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n';

describe('handOverHttpConnection', () => {
  it("lets Node's parser consume the socket natively, and reads a request with both framings as chunked", async () => {
    const h = await harness();
    const received = await rawExchange(h.port, bothFramings);
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(received.endsWith('PUT /both hello')).toBe(true);
    expect(h.native).toEqual([true]);
  });

  it('keeps the connection in the server’s request-timeout checks (a half-sent head is dropped)', async () => {
    const h = await harness((server) => {
      server.requestTimeout = 300;
      server.headersTimeout = 300;
      (server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval = 50;
      server.emit('listening');
    });
    const started = Date.now();
    const received = await rawExchange(h.port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ', 10_000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(9_000);
  });

  it('reads through the JavaScript framing where the server keeps no connections list (same answer, not native)', async () => {
    const h = await harness(() => {});
    const received = await rawExchange(h.port, bothFramings);
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(received.endsWith('PUT /both hello')).toBe(true);
    expect(h.native).toEqual([false]);
  });
});
