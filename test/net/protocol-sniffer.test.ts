import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRtmpServer } from '../../src/live/rtmp/index.js';
import { sniffProtocol } from '../../src/net/protocol-sniffer.js';
import { publishFlv } from '../../src/push/index.js';
import { FIXTURE_360P, capturingLogger, recordingHooks } from '../helpers/rtmp-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** One port, one net.Server: the sniffer hands each socket to the HTTP server or the RTMP server. */
async function startSharedPort(timeoutMs = 1000) {
  const { hooks, publishes } = recordingHooks();
  const rtmp = createRtmpServer(hooks, { idleTimeoutMs: 10_000, handshakeTimeoutMs: 5_000, log: capturingLogger() });
  let httpConnections = 0;
  const httpServer = http.createServer({ keepAliveTimeout: 5000 }, (req, res) => res.end(`you asked for ${req.url}`));
  httpServer.on('connection', () => httpConnections++);
  const sockets = new Set<net.Socket>();
  const listener = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    sniffProtocol(socket, {
      timeoutMs,
      onRtmp: (s, firstChunk) => rtmp.handleSocket(s, firstChunk),
      onHttp: (s) => httpServer.emit('connection', s),
    });
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
  cleanups.push(async () => {
    await rtmp.close();
    for (const s of sockets) s.destroy();
    httpServer.close();
    await new Promise((r) => listener.close(r));
  });
  return { port: (listener.address() as net.AddressInfo).port, publishes, httpConnections: () => httpConnections };
}

function get(port: number, path: string, agent: http.Agent): Promise<{ body: string; localPort: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ body, localPort: req.socket!.localPort! }));
    });
    req.on('error', reject);
  });
}

/** Writes raw bytes and collects everything until the server has sent `until` or closed. */
function rawExchange(port: number, send: (socket: net.Socket) => void, until: (received: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => send(socket));
    let received = '';
    socket.on('data', (d: Buffer) => {
      received += d.toString('latin1');
      if (until(received)) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

describe('one port for HTTP and RTMP (first-byte sniffing)', () => {
  it('serves two keep-alive HTTP requests over one socket', async () => {
    const { port, httpConnections } = await startSharedPort();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(port, '/one', agent);
    const second = await get(port, '/two', agent);
    agent.destroy();
    expect(first.body).toBe('you asked for /one');
    expect(second.body).toBe('you asked for /two');
    expect(second.localPort).toBe(first.localPort);
    expect(httpConnections()).toBe(1);
  });

  it('answers pipelined HTTP requests sent in one write, in order', async () => {
    const { port } = await startSharedPort();
    const received = await rawExchange(
      port,
      (s) => s.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n'),
      (r) => r.includes('you asked for /b'),
    );
    expect(received.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(received.indexOf('you asked for /a')).toBeLessThan(received.indexOf('you asked for /b'));
  });

  it('serves a request whose first chunk is a single byte', async () => {
    const { port } = await startSharedPort();
    const received = await rawExchange(
      port,
      (s) => {
        s.write('G');
        setTimeout(() => s.write('ET /split HTTP/1.1\r\nHost: x\r\n\r\n'), 50);
      },
      (r) => r.includes('you asked for /split'),
    );
    expect(received).toContain('you asked for /split');
  });

  it('hands a silent socket to HTTP after the timeout, which then still serves it', async () => {
    const { port } = await startSharedPort(50);
    const received = await rawExchange(
      port,
      (s) => setTimeout(() => s.write('GET /late HTTP/1.1\r\nHost: x\r\n\r\n'), 200),
      (r) => r.includes('you asked for /late'),
    );
    expect(received).toContain('you asked for /late');
  });

  it('accepts an RTMP publish on the same port', async () => {
    const { port, publishes, httpConnections } = await startSharedPort();
    const result = await publishFlv({
      url: `rtmp://127.0.0.1:${port}/examplebucket/live/chan?a=1`,
      flv: FIXTURE_360P,
      speed: 0,
      durationMs: 3000,
    });
    expect(publishes[0]!.req).toMatchObject({ app: 'examplebucket/live', streamName: 'chan', rawQuery: 'a=1' });
    expect(await publishes[0]!.ended).toBe('closed');
    expect(publishes[0]!.packets.length).toBe(result.tagsSent - 1);
    expect(httpConnections()).toBe(0);
  });
});
