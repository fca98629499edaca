// Does what a server did before change what a playlist GET costs it? The bench's order, on the in-memory and the disk
// emulator (bench/children/emulator-server.ts, as `npm run bench -- rest` starts them), interleaved: a playlist run on
// a fresh server, then PutObject 1 KiB and GetObject 1 MiB runs, then the playlist again; ROUNDS times. Prints server
// CPU µs per playlist GET for each, with the machine-noise columns. The sources under tsx, unless BENCH_EMULATOR=dist
// (the compiled build, what `npm run bench` runs; build it first).
//   npx tsx bench/diagnostics/playlist-after-load.ts [ROUNDS=2] [SECONDS=3]
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createBenchContext } from '../lib/bench-context.js';
import { startEmulatorProcess, type EmulatorProcess } from '../lib/emulator-process.js';
import { createBucket, ossOk, rawRequest, type OssEndpoint, type OssRequest } from '../lib/oss-client.js';
import { CpuMeter, MachineNoiseMeter } from '../lib/proc-stats.js';
import { childScript, TsChild, type ChildMessage } from '../lib/ts-child.js';

const rounds = Number(process.argv[2] ?? 2);
const seconds = Number(process.argv[3] ?? 3);
const PLAYLIST = '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:41\n#EXT-X-TARGETDURATION:3\n#EXTINF:2.000,\n1700000082000.ts\n';
const ctx = createBenchContext('playlist-after-load');
const load = new TsChild(childScript('http-load'), { logFile: join(ctx.workDir, 'load.log') });
await load.next('ready', 30_000);

const servers: Array<{ label: string; process: EmulatorProcess }> = [
  { label: 'in-memory', process: await startEmulatorProcess(ctx.workDir, 'mem') },
  { label: 'disk', process: await startEmulatorProcess(ctx.workDir, 'disk', { dataDir: join(ctx.workDir, 'data') }) },
];
const playlistGet: OssRequest = { method: 'GET', bucket: 'bench-live', key: 'cam/playlist.m3u8', anonymous: true };
for (const s of servers) {
  const e = s.process.endpoint;
  await createBucket(e, 'bench-rest');
  await ossOk(e, { method: 'PUT', bucket: 'bench-rest', key: 'big.ts', body: Buffer.alloc(1024 * 1024 - 100, 0x47) });
  await ossOk(e, { method: 'PUT', bucket: 'bench-live', ossHeaders: { 'x-oss-acl': 'public-read' } });
  await ossOk(e, { method: 'PUT', bucket: 'bench-live', key: 'cam/playlist.m3u8', contentType: 'application/x-mpegURL', body: PLAYLIST });
}

async function measure(endpoint: OssEndpoint, pid: number, request: Buffer): Promise<string> {
  const cpu = new CpuMeter(pid);
  const noise = new MachineNoiseMeter(() => [pid, load.pid]);
  const r = await load.request<ChildMessage & { requestsPerSecond: number; statuses: Record<string, number> }>(
    { type: 'run', port: endpoint.httpPort, request, connections: 50, warmupMs: 1000, durationMs: seconds * 1000 },
    'result',
    60_000,
  );
  const c = cpu.read();
  const n = noise.readAll();
  const us = (c.cpuSeconds * 1e6) / (r.requestsPerSecond * c.wallSeconds);
  return `${r.requestsPerSecond.toFixed(0).padStart(6)} req/s ${us.toFixed(0).padStart(4)} µs/req (other ${n.otherCpu.toFixed(0)} %, pressure ${n.cpuPressure?.toFixed(0)} %)`;
}

for (let round = 0; round < rounds; round++) {
  for (const s of servers) {
    const e = s.process.endpoint;
    const pid = s.process.child.pid;
    const put = rawRequest(e, { method: 'PUT', bucket: 'bench-rest', key: 'put.bin', body: Buffer.alloc(1024, 0x61) });
    console.log(`round ${round + 1} ${s.label.padEnd(9)} playlist before: ${await measure(e, pid, rawRequest(e, playlistGet))}`);
    console.log(`round ${round + 1} ${s.label.padEnd(9)} put-1k:          ${await measure(e, pid, put)}`);
    console.log(
      `round ${round + 1} ${s.label.padEnd(9)} get-1m:          ${await measure(e, pid, rawRequest(e, { method: 'GET', bucket: 'bench-rest', key: 'big.ts' }))}`,
    );
    console.log(`round ${round + 1} ${s.label.padEnd(9)} playlist after:  ${await measure(e, pid, rawRequest(e, playlistGet))}`);
  }
}
await Promise.all([load.stop(), ...servers.map((s) => s.process.child.stop())]);
rmSync(ctx.workDir, { recursive: true, force: true });
