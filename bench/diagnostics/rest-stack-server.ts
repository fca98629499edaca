// One layer of the emulator's HTTP stack at a time, for rest-stack-variants.ts. VARIANT:
//   bare             Fastify, constant XML, listening itself
//   sniffed          the same, its sockets accepted by a net server and handed over by src/net/protocol-sniffer.ts
//   options          bare + the emulator's Fastify setup (pino loggerInstance, randomBytes request ids, async hooks)
//   emulator-noauth  the emulator with auth: false
//   emulator         the emulator (FROM_DIST=/abs/path/dist/emulator.js to use the tsc build instead of tsx)
//   emulator@PATH    the emulator PATH exports (another checkout's src/emulator.ts or dist/emulator.js), for paired A/B runs
//   emulator-disk    the emulator on a data directory (a fresh temp dir) instead of --in-memory; also emulator-disk@PATH
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { startEmulator as startFromSource } from '../../src/emulator.js';
import { createLogger } from '../../src/shared/logger.js';
import { sniffProtocol } from '../../src/net/protocol-sniffer.js';
import { onParentMessage, tellParent } from '../lib/ts-child.js';

const variant = process.env.VARIANT ?? 'bare';
const STAT_XML = '<?xml version="1.0" encoding="UTF-8"?>\n<LiveChannelStat><Status>Idle</Status></LiveChannelStat>';

if (variant.startsWith('emulator')) {
  const from = variant.includes('@') ? variant.slice(variant.indexOf('@') + 1) : process.env.FROM_DIST;
  const startEmulator: typeof startFromSource = from
    ? ((await import(from)) as { startEmulator: typeof startFromSource }).startEmulator
    : startFromSource;
  const dataDir = variant.startsWith('emulator-disk') ? mkdtempSync(join(tmpdir(), 'rest-stack-disk-')) : undefined;
  const emulator = await startEmulator({
    inMemory: dataDir === undefined,
    dataDir,
    httpPort: 0,
    rtmpPort: false,
    logLevel: 'warn',
    auth: !variant.startsWith('emulator-noauth'),
  });
  onParentMessage(
    () => {},
    async () => {
      await emulator.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  );
  tellParent({ type: 'ready', port: emulator.httpPort });
} else {
  const app: FastifyInstance =
    variant === 'options'
      ? (Fastify({
          loggerInstance: createLogger('warn'),
          genReqId: () => randomBytes(12).toString('hex').toUpperCase(),
          requestIdHeader: false,
          logController: new LogController({ disableRequestLogging: true }),
        } as never) as unknown as FastifyInstance)
      : Fastify({ logger: false });
  if (variant === 'options') {
    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-oss-request-id', request.id);
      reply.header('server', 'AliyunOSS');
    });
    app.addHook('onResponse', async (request, reply) => {
      request.log.debug({ method: request.method, url: request.url, status: reply.statusCode }, 'request');
    });
  }
  app.get('/*', async (_request, reply) => reply.type('application/xml').send(STAT_XML));
  await app.ready();
  let port: number;
  if (variant === 'sniffed') {
    const listener = net.createServer((socket) =>
      sniffProtocol(socket, { timeoutMs: 10_000, onRtmp: (s) => s.destroy(), onHttp: (s) => app.server.emit('connection', s) }),
    );
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as net.AddressInfo).port;
  } else {
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as net.AddressInfo).port;
  }
  onParentMessage(
    () => {},
    () => app.close(),
  );
  tellParent({ type: 'ready', port });
}
