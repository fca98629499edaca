// rest: requests/s of two signed OSS operations at 50 concurrent keep-alive connections, from a separate load
// process, against a bare Fastify route in the same setup (server in its own child, same load generator).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { remuxFlvToTs } from '../src/media/hls/hls-segmenter.js';
import { FIXTURE_720P, type BenchContext } from './lib/bench-context.js';
import { startEmulatorProcess } from './lib/emulator-process.js';
import { createBucket, createChannel, ossOk, rawRequest } from './lib/oss-client.js';
import type { Summary } from './lib/percentiles.js';
import { CpuMeter, MachineNoiseMeter, type MachineNoise } from './lib/proc-stats.js';
import { fmt, type BenchReport } from './lib/report.js';
import { childScript, TsChild, type ChildMessage } from './lib/ts-child.js';

export interface RestOptions {
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

interface LoadResult extends ChildMessage {
  requests: number;
  requestsPerSecond: number;
  bytesPerSecond: number;
  statuses: Record<string, number>;
  errors: number;
  reconnects: number;
  latencyMs: Summary;
}

interface CaseResult extends LoadResult {
  serverCpu: number;
  loadCpu: number;
  noise: MachineNoise;
}

const BUCKET = 'bench-rest';
const CHANNEL = 'cam';
const OBJECT_KEY = `${CHANNEL}/1700000000000.ts`;
/** 1 MiB rounded down to whole TS packets: the size of a ~8 s segment at 1 Mbps. */
const OBJECT_BYTES = Math.floor((1024 * 1024) / 188) * 188;

export async function runRest(ctx: BenchContext, opts: RestOptions): Promise<BenchReport> {
  // A real segment-sized object: TS bytes of the 720p fixture, cut at a packet boundary.
  const segment = remuxFlvToTs(readFileSync(FIXTURE_720P)).subarray(0, OBJECT_BYTES);
  const objectFile = join(ctx.workDir, 'segment.ts');
  writeFileSync(objectFile, segment);

  ctx.progress('rest: starting the emulator');
  const emulator = await startEmulatorProcess(ctx.workDir, 'rest-emulator');
  const load = new TsChild(childScript('http-load'), { logFile: join(ctx.workDir, 'rest-load.log') });
  let bare: TsChild | undefined;
  try {
    const endpoint = emulator.endpoint;
    await createBucket(endpoint, BUCKET);
    await createChannel(endpoint, BUCKET, CHANNEL);
    await ossOk(endpoint, { method: 'PUT', bucket: BUCKET, key: OBJECT_KEY, contentType: 'video/MP2T', body: segment });

    // One Date for the whole run: the signature stays valid for 15 minutes of skew, and the server verifies it anew each time.
    const date = new Date().toUTCString();
    const statRequest = {
      method: 'GET',
      bucket: BUCKET,
      key: CHANNEL,
      query: [
        ['live', ''],
        ['comp', 'stat'],
      ] as const,
      date,
    };
    const objectRequest = { method: 'GET', bucket: BUCKET, key: OBJECT_KEY, date };
    const stat = await ossOk(endpoint, statRequest);
    const object = await ossOk(endpoint, objectRequest);
    if (!object.body.equals(segment)) throw new Error('GetObject returned different bytes than were put');
    const xmlBody = stat.body.toString('utf8');

    bare = new TsChild(childScript('bare-http-server'), {
      args: [JSON.stringify({ xmlBody, objectFile })],
      logFile: join(ctx.workDir, 'rest-bare.log'),
    });
    const bareReady = await bare.next<ChildMessage & { port: number }>('ready', 30_000);
    await load.next('ready', 30_000);

    // Same request bytes (headers included) for the baseline, only the path differs.
    const withPath = (raw: Buffer, path: string) => {
      const text = raw.toString('latin1');
      return Buffer.from(text.replace(/^GET \S+/, `GET ${path}`), 'latin1');
    };
    const statRaw = rawRequest(endpoint, statRequest);
    const objectRaw = rawRequest(endpoint, objectRequest);

    const runCase = async (label: string, port: number, pid: number, request: Buffer): Promise<CaseResult> => {
      ctx.progress(`rest: ${label}`);
      const serverCpu = new CpuMeter(pid);
      const loadCpu = new CpuMeter(load.pid);
      const noise = new MachineNoiseMeter(() => [pid, load.pid]);
      const resultPromise = load.request<LoadResult>(
        { type: 'run', port, request, connections: opts.connections, warmupMs: opts.warmupSeconds * 1000, durationMs: opts.seconds * 1000 },
        'result',
        (opts.warmupSeconds + opts.seconds) * 1000 + 30_000,
      );
      await new Promise((r) => setTimeout(r, opts.warmupSeconds * 1000));
      serverCpu.reset();
      loadCpu.reset();
      noise.reset();
      const result = await resultPromise;
      return { ...result, serverCpu: serverCpu.read().percentOfOneCore, loadCpu: loadCpu.read().percentOfOneCore, noise: noise.readAll() };
    };

    const baseXml = await runCase('bare Fastify, constant XML', bareReady.port, bare.pid, withPath(statRaw, '/constant-xml'));
    const oursStat = await runCase('GetLiveChannelStat', endpoint.httpPort, emulator.child.pid, statRaw);
    const baseObject = await runCase('bare Fastify, 1 MB file', bareReady.port, bare.pid, withPath(objectRaw, '/object'));
    const oursObject = await runCase('GetObject 1 MB', endpoint.httpPort, emulator.child.pid, objectRaw);

    const ok = (r: LoadResult) =>
      Object.entries(r.statuses)
        .filter(([s]) => s.startsWith('2'))
        .reduce((n, [, c]) => n + c, 0);
    const bad = (r: LoadResult) => r.requests - ok(r) + r.errors;
    const row = (label: string, r: CaseResult, ratioXml: number | undefined, ratioSized: number | undefined) => [
      label,
      fmt(r.requestsPerSecond, 0),
      fmt(r.latencyMs.p50, 2),
      fmt(r.latencyMs.p99, 2),
      fmt(r.bytesPerSecond / 1e6, 0),
      bad(r),
      fmt(r.serverCpu, 0),
      fmt(r.loadCpu, 0),
      `${fmt(r.noise.otherCpu, 0)} / ${fmt(r.noise.cpuPressure, 0)}`,
      ratioXml === undefined ? '1 (baseline)' : fmt(ratioXml, 2),
      ratioSized === undefined ? '' : fmt(ratioSized, 2),
    ];
    const statRatio = oursStat.requestsPerSecond / baseXml.requestsPerSecond;
    const objectRatioXml = oursObject.requestsPerSecond / baseXml.requestsPerSecond;
    const objectRatioSized = oursObject.requestsPerSecond / baseObject.requestsPerSecond;
    return {
      name: 'rest',
      tables: [
        {
          title: `REST: ${opts.connections} connections, ${opts.warmupSeconds} s warm-up + ${opts.seconds} s measured per row; server and load generator each in their own process`,
          columns: [
            'case',
            'req/s',
            'p50 ms',
            'p99 ms',
            'body MB/s',
            'non-2xx+errors',
            'server CPU %',
            'loadgen CPU %',
            'other procs CPU % / CPU pressure %',
            'ratio vs constant XML',
            'ratio vs bare 1 MB',
          ],
          rows: [
            row(`baseline: bare Fastify, constant XML (${stat.body.length} B)`, baseXml, undefined, undefined),
            row('GetLiveChannelStat (signed V1 header)', oursStat, statRatio, undefined),
            row(
              `baseline: bare Fastify, same 1 MB file streamed`,
              baseObject,
              baseObject.requestsPerSecond / baseXml.requestsPerSecond,
              undefined,
            ),
            row(`GetObject ${OBJECT_BYTES} B (signed V1 header)`, oursObject, objectRatioXml, objectRatioSized),
          ],
        },
      ],
      checks: [
        { target: 'GetLiveChannelStat ≥ 0.5 × bare Fastify constant XML', measured: fmt(statRatio, 2), met: statRatio >= 0.5 },
        {
          target: 'GetObject 1 MB ≥ 0.5 × bare Fastify (same 1 MB body)',
          measured: fmt(objectRatioSized, 2),
          met: objectRatioSized >= 0.5,
        },
        { target: 'no failed request', measured: String(bad(oursStat) + bad(oursObject)), met: bad(oursStat) + bad(oursObject) === 0 },
      ],
      notes: [
        `The constant-XML baseline body is the exact bytes of the emulator's GetLiveChannelStat answer (idle channel), sent with the same request headers.`,
        `GetObject is also compared with a bare Fastify route streaming the same file from disk: against a ~${stat.body.length} B body its ratio (${fmt(objectRatioXml, 2)}) only measures moving 1 MB over loopback.`,
        'server CPU % is of one core over the measured window; ~100 % means the server is the bottleneck, a loadgen near 100 % means the generator is.',
        "other procs CPU % = machine busy time minus ours (other people's builds and tests share this 2-core machine); CPU pressure % = share of the window in which some task waited for a CPU (Linux PSI). Both high = a noisy row.",
      ],
    };
  } finally {
    await Promise.all([load.stop(), bare?.stop(), emulator.child.stop()]);
  }
}
