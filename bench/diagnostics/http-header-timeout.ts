// Does the server ever drop a connection that sent half a request header and then nothing? Node's http.Server
// enforces headersTimeout (60 s) / requestTimeout from a checker it starts on 'listening'; the emulator hands
// sockets to Fastify's server with emit('connection') and never listens on it. Control: bare Fastify that listens.
//   npx tsx bench/diagnostics/http-header-timeout.ts [seconds, default 100]
import net from 'node:net';
import Fastify from 'fastify';
import { startEmulator } from '../../src/emulator.js';

const seconds = Number(process.argv[2] ?? 100);
const emulator = await startEmulator({
  inMemory: true,
  httpPort: 0,
  rtmpPort: false,
  logLevel: 'silent',
  requestTimeout: 120_000,
} as never);
const control = Fastify({ logger: false, requestTimeout: 120_000 });
control.get('/*', async () => 'ok');
await control.listen({ host: '127.0.0.1', port: 0 });

function halfRequest(label: string, port: number): Promise<void> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const socket = net.connect({ host: '127.0.0.1', port });
    let gaveUp = false;
    socket.on('connect', () => socket.write('GET /-/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: '));
    socket.on('data', (d: Buffer) =>
      console.log(`${label}: answered after ${((performance.now() - t0) / 1000).toFixed(1)} s: ${d.toString('latin1').split('\r\n')[0]}`),
    );
    socket.on('error', () => {});
    socket.on('close', () => {
      if (!gaveUp) console.log(`${label}: closed by the server after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      clearTimeout(timer);
      resolve();
    });
    const timer = setTimeout(() => {
      console.log(`${label}: still open after ${seconds} s (we close it now)`);
      gaveUp = true;
      socket.destroy();
      resolve();
    }, seconds * 1000);
  });
}

await Promise.all([
  halfRequest('emulator (HTTP port)', emulator.httpPort),
  halfRequest('control: bare Fastify, listening itself', (control.server.address() as net.AddressInfo).port),
]);
await Promise.all([emulator.close(), control.close()]);
