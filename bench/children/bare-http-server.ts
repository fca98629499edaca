// The REST baseline: bare Fastify (same version as the emulator), no logger, no auth, no store. Two routes:
//   GET /constant-xml  a constant XML body (the parent passes the bytes of a real GetLiveChannelStat answer)
//   GET /object        the same 1 MB file the emulator serves, streamed from disk per request like GetObject
// argv[2]: JSON { xmlBody, objectFile }. Tells the parent { type: 'ready', port }.
import { createReadStream, statSync } from 'node:fs';
import Fastify from 'fastify';
import { onParentMessage, tellParent } from '../lib/ts-child.js';

const { xmlBody, objectFile } = JSON.parse(process.argv[2] ?? '{}') as { xmlBody: string; objectFile: string };
const objectSize = statSync(objectFile).size;

const app = Fastify({ logger: false });
app.get('/constant-xml', async (_request, reply) => reply.type('application/xml').send(xmlBody));
app.get('/object', async (_request, reply) =>
  reply.type('video/MP2T').header('content-length', objectSize).send(createReadStream(objectFile)),
);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
onParentMessage(
  () => {},
  () => app.close(),
);
tellParent({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
