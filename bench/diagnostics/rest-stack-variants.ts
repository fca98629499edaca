// Where GetLiveChannelStat's CPU goes, layer by layer: the same signed request, 50 connections, against each
// variant of rest-stack-server.ts; prints req/s and server CPU µs per request (the server is saturated in each).
//   npx tsx bench/diagnostics/rest-stack-variants.ts [bare,sniffed,options,emulator-noauth,emulator] [stat|stat-fresh|playlist|get-1m]
// (emulator@PATH: the emulator another checkout exports, e.g. main's, for paired A/B runs: emulator@/tmp/main/src/emulator.ts,emulator,…)
// SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the servers (summarise with profile-summary.cjs).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBenchContext } from '../lib/bench-context.js';
import { createBucket, createChannel, ossOk, rawRequest } from '../lib/oss-client.js';
import { CpuMeter, MachineNoiseMeter } from '../lib/proc-stats.js';
import { childScript, TsChild, type ChildMessage } from '../lib/ts-child.js';

const variants = (process.argv[2] ?? 'bare,sniffed,options,emulator-noauth,emulator').split(',');
/**
 * stat: signed GetLiveChannelStat, one request replayed; stat-fresh: 4096 of them each signed differently (a signed
 * x-oss-bench-seq header), sent in turn; playlist: an anonymous GET of a small playlist on a public-read bucket;
 * get-1m: a signed GetObject of a 1 MiB object (with emulator-disk: read from its file on every GET).
 */
const which = process.argv[3] ?? 'stat';
const PLAYLIST = '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:41\n#EXT-X-TARGETDURATION:3\n#EXTINF:2.000,\n1700000082000.ts\n';
/** 1 MiB rounded down to whole TS packets, as the bench's GetObject 1 MiB row. */
const OBJECT_BYTES = Math.floor((1024 * 1024) / 188) * 188;
const ctx = createBenchContext('rest-variants');
const load = new TsChild(childScript('http-load'), { logFile: join(ctx.workDir, 'load.log') });
await load.next('ready', 30_000);
for (const variant of variants) {
  const server = new TsChild(fileURLToPath(new URL('./rest-stack-server.ts', import.meta.url)), {
    logFile: join(ctx.workDir, `${variant.replace(/[^\w@.-]/g, '_')}.log`),
    env: { ...process.env, VARIANT: variant },
    nodeFlags: process.env.SERVER_NODE_FLAGS?.split(' ').filter(Boolean),
  });
  const { port } = await server.next<ChildMessage & { port: number }>('ready', 30_000);
  const endpoint = {
    host: '127.0.0.1',
    httpPort: port,
    rtmpPort: 0,
    accessKeyId: 'LTAI5tOssEmulatorKey',
    accessKeySecret: 'OssEmulatorSecretDoNotUseInProd',
  };
  if (variant.startsWith('emulator')) {
    await createBucket(endpoint, 'bench-rest');
    await createChannel(endpoint, 'bench-rest', 'cam');
    await ossOk(endpoint, { method: 'PUT', bucket: 'bench-live', ossHeaders: { 'x-oss-acl': 'public-read' } });
    await ossOk(endpoint, {
      method: 'PUT',
      bucket: 'bench-live',
      key: 'cam/playlist.m3u8',
      contentType: 'application/x-mpegURL',
      body: PLAYLIST,
    });
    await ossOk(endpoint, { method: 'PUT', bucket: 'bench-rest', key: 'big.ts', body: Buffer.alloc(OBJECT_BYTES, 0x47) });
  }
  const stat = (ossHeaders?: Record<string, string>) =>
    rawRequest(endpoint, {
      method: 'GET',
      bucket: 'bench-rest',
      key: 'cam',
      query: [
        ['live', ''],
        ['comp', 'stat'],
      ],
      ossHeaders,
    });
  const request =
    which === 'get-1m'
      ? rawRequest(endpoint, { method: 'GET', bucket: 'bench-rest', key: 'big.ts' })
      : which === 'playlist'
        ? rawRequest(endpoint, { method: 'GET', bucket: 'bench-live', key: 'cam/playlist.m3u8', anonymous: true })
        : which === 'stat-fresh'
          ? Array.from({ length: 4096 }, (_, i) => stat({ 'x-oss-bench-seq': String(i) }))
          : stat();
  const cpu = new CpuMeter(server.pid);
  const noise = new MachineNoiseMeter(() => [server.pid, load.pid]);
  const result = await load.request<ChildMessage & { requestsPerSecond: number; statuses: Record<string, number> }>(
    { type: 'run', port, request, connections: 50, warmupMs: 1500, durationMs: 4000 },
    'result',
    60_000,
  );
  const c = cpu.read();
  const n = noise.readAll();
  const perRequest = (c.cpuSeconds * 1e6) / (result.requestsPerSecond * c.wallSeconds);
  console.log(
    `${variant.padEnd(16)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  server CPU ${c.percentOfOneCore.toFixed(0)} %  ` +
      `~${perRequest.toFixed(0)} µs CPU/request  statuses ${JSON.stringify(result.statuses)}  (other procs ${n.otherCpu.toFixed(0)} %, CPU pressure ${n.cpuPressure?.toFixed(0)} %)`,
  );
  await server.stop();
}
await load.stop();
