// ingest: N real-time publishers (pusher processes, the project's own `push`) -> a server in its own process, at each
// N, interleaved between servers: the emulator with its data on disk (and optionally in memory), and the peer a user
// would run instead, nginx + libnginx-mod-rtmp with `hls on`, 2 s fragments on disk. Measures each server's CPU and
// RSS (its whole process tree) from /proc, when each segment becomes visible (seen from outside, the same way for both:
// bench/children/segment-watcher.ts), segments produced vs expected, how far publishers fell behind real time, and
// failed publishers. Baseline: the same publishers pushing to a bare RTMP sink that reads and discards.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseFlv } from '../src/media/flv.js';
import { FIXTURE_360P, type BenchContext } from './lib/bench-context.js';
import { startEmulatorProcess, type SegmentCounts, type ServerStats } from './lib/emulator-process.js';
import { findOrInstallNginxRtmp, startNginxRtmp, type NginxRtmpBinary } from './lib/nginx-rtmp.js';
import { createBucket, createChannel, DEFAULT_CHANNEL, publishUrl } from './lib/oss-client.js';
import { median, summarize, type Summary } from './lib/percentiles.js';
import { CpuMeter, MachineNoiseMeter, processTree, TreeCpuMeter, treeRssBytes, type MachineNoise } from './lib/proc-stats.js';
import { fmt, mib, type BenchReport, type TargetCheck } from './lib/report.js';
import { childScript, sleep, TsChild, type ChildMessage } from './lib/ts-child.js';
import type { PublisherOutcome } from './children/rtmp-pushers.js';

export const INGEST_SERVERS = ['emulator-disk', 'emulator-memory', 'nginx'] as const;
export type IngestServer = (typeof INGEST_SERVERS)[number];

export interface IngestOptions {
  ns: number[];
  seconds: number;
  /** How long the bare-sink baseline runs at each N (its CPU rate is steady after a few seconds); 0 skips it. */
  baselineSeconds: number;
  /** Publisher i starts at i x stagger / N: encoders do not all start on the same millisecond. */
  staggerMs: number;
  publishersPerProcess: number;
  /** Runs of each server at each N, interleaved (A B, B A, A B, ...); tables give medians. */
  repeats: number;
  servers: IngestServer[];
}

const BUCKET = 'bench-ingest';
/** A segment's end is matched to the publisher's keyframe closest in stream time, within this (a GOP is 2 s). */
const KEYFRAME_MATCH_MS = 100;

/**
 * Segments a channel must end with when the fixture is looped for `durationMs` of stream time: one per keyframe
 * that is at least FragDuration after the current segment's start (OSS's rule), computed from the file alone,
 * the way our publisher loops it (timestamps continue, span = last - first + one frame).
 */
export function expectedSegments(flv: Buffer, durationMs: number, fragMs: number): number {
  const tags = parseFlv(flv).tags;
  const first = tags[0]!.timestamp;
  const video = tags.filter((t) => t.type === 'video').map((t) => t.timestamp);
  let frame = 40;
  for (let i = video.length - 1; i > 0; i--) {
    if (video[i]! - video[i - 1]! > 0) {
      frame = video[i]! - video[i - 1]!;
      break;
    }
  }
  const span = tags[tags.length - 1]!.timestamp - first + frame;
  // AVC NALU keyframes: frame type 1, codec 7, AVCPacketType 1.
  const keyframes = tags.filter((t) => t.type === 'video' && t.data[0] === 0x17 && t.data[1] === 1).map((t) => t.timestamp - first);
  let segments = 0;
  let start: number | undefined;
  for (let round = 0; ; round++) {
    for (const k of keyframes) {
      const t = k + round * span;
      if (t >= durationMs) return segments;
      if (start === undefined || t - start >= fragMs) {
        segments++;
        start = t;
      }
    }
  }
}

interface PusherFleet {
  children: TsChild[];
  started: Promise<{ ok: number; failed: Array<{ url: string; error: string }> }>;
  done: Promise<PublisherOutcome[]>;
}

async function startPushers(ctx: BenchContext, label: string, urls: string[], opts: IngestOptions, seconds: number): Promise<PusherFleet> {
  const groups: string[][] = [];
  for (let i = 0; i < urls.length; i += opts.publishersPerProcess) groups.push(urls.slice(i, i + opts.publishersPerProcess));
  const children = groups.map(
    (_, i) => new TsChild(childScript('rtmp-pushers'), { logFile: join(ctx.workDir, `${label}-pushers-${i}.log`) }),
  );
  await Promise.all(children.map((c) => c.next('ready', 30_000)));
  // Interleave the groups' start times so the fleet as a whole is spread evenly over the stagger window.
  groups.forEach((group, i) =>
    children[i]!.send({ type: 'start', urls: group, fixture: FIXTURE_360P, durationMs: seconds * 1000, staggerMs: opts.staggerMs }),
  );
  const startTimeout = opts.staggerMs + 60_000;
  const started = Promise.all(
    children.map((c) => c.next<ChildMessage & { ok: number; failed: Array<{ url: string; error: string }> }>('started', startTimeout)),
  ).then((all) => ({ ok: all.reduce((n, s) => n + s.ok, 0), failed: all.flatMap((s) => s.failed) }));
  const done = Promise.all(
    children.map((c) => c.next<ChildMessage & { publishers: PublisherOutcome[] }>('done', startTimeout + seconds * 1000 + 60_000)),
  ).then((all) => all.flatMap((d) => d.publishers));
  started.catch(() => {});
  done.catch(() => {});
  return { children, started, done };
}

interface Window {
  serverCpu: number;
  pusherCpu: number;
  noise: MachineNoise;
  seconds: number;
  peakRss: number;
  endRss: number;
}

/**
 * Measures from the moment every publisher is live until the first one reaches its stream duration (less a margin),
 * sampling the RSS of the server's process tree every 500 ms.
 */
async function measureSteadyWindow(
  serverPid: number,
  fleet: PusherFleet,
  seconds: number,
  firstStartMs: number,
  onStart: () => Promise<unknown> = async () => {},
): Promise<Window> {
  await fleet.started;
  await onStart();
  const pusherPids = fleet.children.map((c) => c.pid);
  const server = new TreeCpuMeter(serverPid);
  const pushers = pusherPids.map((pid) => new CpuMeter(pid));
  const noise = new MachineNoiseMeter(() => [...server.pids, ...pusherPids]);
  const endAt = firstStartMs + seconds * 1000 - 1000;
  let peakRss = treeRssBytes(server.pids);
  while (performance.now() < endAt) {
    await sleep(Math.min(500, Math.max(0, endAt - performance.now())));
    peakRss = Math.max(peakRss, treeRssBytes(server.pids));
  }
  const s = server.read();
  const endRss = treeRssBytes(server.pids);
  return {
    serverCpu: s.percentOfOneCore,
    pusherCpu: pushers.reduce((n, p) => n + p.read().percentOfOneCore, 0),
    noise: noise.readAll(),
    seconds: s.wallSeconds,
    peakRss,
    endRss,
  };
}

type SeenSegment = [stream: string, sequence: number, durationMs: number, seenEpochMs: number];

interface RunResult {
  server: IngestServer;
  n: number;
  failed: number;
  failures: string[];
  window: Window;
  idleRss: number;
  /** Segment-visible latency seen from outside (watcher), ms; undefined where it cannot be watched (in memory). */
  visible: Summary | undefined;
  matched: number;
  /** The emulator's own onSegmentVisible measure (closing keyframe arrival -> committed). */
  internal: Summary | undefined;
  loop: ServerStats['eventLoopDelayMs'] | undefined;
  expected: number;
  produced: number;
  lost: number;
  extra: number;
  /** The most any publisher's tag went out behind its real-time schedule. */
  maxLateMs: number;
  loadAverage: number;
}

/**
 * Latency of each segment a watcher saw: seen time minus the time its publisher sent the keyframe that closed it.
 * The closing keyframe is found by stream time (first keyframe + the durations of the segments up to this one), so the
 * servers' own cutting rules do not matter; a segment closed by the end of the stream matches no keyframe and is left out.
 */
function visibleLatencies(seen: SeenSegment[], outcomes: PublisherOutcome[], streamOf: (url: string) => string): number[] {
  const byStream = new Map<string, SeenSegment[]>();
  for (const s of seen) {
    const list = byStream.get(s[0]);
    if (list) list.push(s);
    else byStream.set(s[0], [s]);
  }
  const out: number[] = [];
  for (const o of outcomes) {
    const segments = byStream.get(streamOf(o.url))?.sort((a, b) => a[1] - b[1]);
    if (!segments || o.keyframes.length === 0) continue;
    const keys = o.keyframes;
    let end = keys[0]![0];
    let k = 0;
    for (const [, , durationMs, seenAt] of segments) {
      end += durationMs;
      while (k + 1 < keys.length && Math.abs(keys[k + 1]![0] - end) <= Math.abs(keys[k]![0] - end)) k++;
      if (Math.abs(keys[k]![0] - end) <= KEYFRAME_MATCH_MS) out.push(seenAt - keys[k]![1]);
    }
  }
  return out;
}

const streamName = (url: string): string => url.replace(/\?.*/, '').replace(/.*\//, '');

interface ServerUnderTest {
  pid: number;
  urls: string[];
  /** Starts the external watcher (undefined: this server cannot be watched from outside). */
  watch?: { kind: 'nginx'; dir: string; streams: string[] } | { kind: 'emulator'; dir: string; bucket: string };
  /** After the publishers are done: segments produced per stream, and the server's own figures. */
  finish(): Promise<{ produced: Map<string, number>; internal?: Summary; loop?: ServerStats['eventLoopDelayMs'] }>;
  /** Called when the steady window starts (the emulator resets its event-loop histogram). */
  onWindowStart?(): Promise<unknown>;
  stop(): Promise<void>;
}

async function startEmulatorUnderTest(ctx: BenchContext, label: string, n: number, disk: boolean): Promise<ServerUnderTest> {
  const dataDir = disk ? join(ctx.workDir, `${label}-data`) : undefined;
  const emulator = await startEmulatorProcess(ctx.workDir, label, { dataDir });
  const endpoint = emulator.endpoint;
  await createBucket(endpoint, BUCKET);
  const channels = Array.from({ length: n }, (_, i) => `ch${String(i).padStart(3, '0')}`);
  for (let i = 0; i < channels.length; i += 10) await Promise.all(channels.slice(i, i + 10).map((c) => createChannel(endpoint, BUCKET, c)));
  let loop: ServerStats['eventLoopDelayMs'] | undefined;
  return {
    pid: emulator.child.pid,
    urls: channels.map((c) => publishUrl(endpoint, BUCKET, c)),
    watch: dataDir ? { kind: 'emulator', dir: dataDir, bucket: BUCKET } : undefined,
    onWindowStart: () => emulator.child.request<ServerStats>({ type: 'stats', resetLoopDelay: true }, 'stats'),
    async finish() {
      loop ??= (await emulator.child.request<ServerStats>({ type: 'stats' }, 'stats')).eventLoopDelayMs;
      // Every publish has ended; wait until the emulator has committed their last segments and closed them.
      let stats = await emulator.child.request<ServerStats>({ type: 'stats' }, 'stats');
      for (const deadline = performance.now() + 30_000; stats.livePublishes > 0 && performance.now() < deadline;) {
        await sleep(200);
        stats = await emulator.child.request<ServerStats>({ type: 'stats' }, 'stats');
      }
      const counts = await emulator.child.request<SegmentCounts>({ type: 'segments', bucket: BUCKET }, 'segments');
      return { produced: new Map(Object.entries(counts.tsObjects)), internal: summarize(stats.delays), loop };
    },
    async stop() {
      await emulator.child.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startNginxUnderTest(ctx: BenchContext, label: string, n: number, bin: NginxRtmpBinary): Promise<ServerUnderTest> {
  const dir = join(ctx.workDir, `${label}-nginx`);
  mkdirSync(dir, { recursive: true });
  const nginx = await startNginxRtmp(bin, dir);
  const streams = Array.from({ length: n }, (_, i) => `ch${String(i).padStart(3, '0')}`);
  return {
    pid: nginx.pid,
    urls: streams.map((s) => nginx.publishUrl(s)),
    watch: { kind: 'nginx', dir: nginx.hlsDir, streams },
    async finish() {
      await sleep(500); // nginx closes a fragment when its publisher leaves; give it a moment
      const produced = new Map<string, number>();
      for (const name of readdirSync(nginx.hlsDir)) {
        const m = /^(.*)-\d+\.ts$/.exec(name);
        if (m) produced.set(m[1]!, (produced.get(m[1]!) ?? 0) + 1);
      }
      return { produced };
    },
    async stop() {
      await nginx.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function runServer(
  ctx: BenchContext,
  server: IngestServer,
  n: number,
  rep: number,
  opts: IngestOptions,
  expectedPerChannel: number,
  nginxBin: NginxRtmpBinary | undefined,
): Promise<RunResult> {
  const label = `ingest-${n}-${server}-${rep}`;
  ctx.progress(`ingest: N=${n}, ${server} for ${opts.seconds} s (run ${rep + 1} of ${opts.repeats})`);
  const loadAverage = os.loadavg()[0]!;
  const sut =
    server === 'nginx'
      ? await startNginxUnderTest(ctx, label, n, nginxBin!)
      : await startEmulatorUnderTest(ctx, label, n, server === 'emulator-disk');
  let watcher: TsChild | undefined;
  try {
    if (sut.watch) {
      watcher = new TsChild(childScript('segment-watcher'), { logFile: join(ctx.workDir, `${label}-watcher.log`) });
      await watcher.next('ready', 30_000);
      await watcher.request({ type: 'watch', ...sut.watch }, 'watching');
    }
    await sleep(500);
    const idleRss = treeRssBytes(processTree(sut.pid));
    const fleet = await startPushers(ctx, label, sut.urls, opts, opts.seconds);
    const firstStartMs = performance.now();
    const window = await measureSteadyWindow(sut.pid, fleet, opts.seconds, firstStartMs, sut.onWindowStart);
    const outcomes = await fleet.done;
    await Promise.all(fleet.children.map((c) => c.stop()));
    const { produced, internal, loop } = await sut.finish();
    const seen = watcher ? (await watcher.request<ChildMessage & { segments: SeenSegment[] }>({ type: 'report' }, 'report')).segments : [];

    const ok = outcomes.filter((o) => o.ok);
    const failedOutcomes = outcomes.filter((o) => !o.ok);
    let got = 0;
    let lost = 0;
    let extra = 0;
    for (const o of ok) {
      const count = produced.get(streamName(o.url)) ?? 0;
      got += count;
      lost += Math.max(0, expectedPerChannel - count);
      extra += Math.max(0, count - expectedPerChannel);
    }
    const latencies = visibleLatencies(seen, ok, streamName);
    return {
      server,
      n,
      failed: failedOutcomes.length,
      failures: failedOutcomes.slice(0, 3).map((o) => `${o.url.replace(/\?.*/, '')}: ${o.error}`),
      window,
      idleRss,
      visible: sut.watch ? summarize(latencies) : undefined,
      matched: latencies.length,
      internal,
      loop,
      expected: expectedPerChannel * ok.length,
      produced: got,
      lost,
      extra,
      maxLateMs: Math.max(0, ...outcomes.map((o) => o.maxLateMs)),
      loadAverage,
    };
  } finally {
    await watcher?.stop();
    await sut.stop();
  }
}

async function runSink(
  ctx: BenchContext,
  n: number,
  opts: IngestOptions,
): Promise<{ sinkCpu: number; pusherCpu: number; noise: MachineNoise; failed: number }> {
  ctx.progress(`ingest: N=${n}, bare RTMP sink for ${opts.baselineSeconds} s`);
  const sink = new TsChild(childScript('rtmp-sink'), { logFile: join(ctx.workDir, `ingest-${n}-sink.log`) });
  try {
    const { port } = await sink.next<ChildMessage & { port: number }>('ready', 30_000);
    const urls = Array.from({ length: n }, (_, i) => `rtmp://127.0.0.1:${port}/${BUCKET}/live/ch${String(i).padStart(3, '0')}`);
    const fleet = await startPushers(ctx, `sink-${n}`, urls, opts, opts.baselineSeconds);
    const window = await measureSteadyWindow(sink.pid, fleet, opts.baselineSeconds, performance.now());
    const outcomes = await fleet.done;
    await Promise.all(fleet.children.map((c) => c.stop()));
    return { sinkCpu: window.serverCpu, pusherCpu: window.pusherCpu, noise: window.noise, failed: outcomes.filter((o) => !o.ok).length };
  } finally {
    await sink.stop();
  }
}

/** Median over runs of a figure (undefined figures are left out). */
const med = (runs: RunResult[], f: (r: RunResult) => number | undefined): number => {
  const values = runs.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return values.length ? median(values) : NaN;
};

export async function runIngest(ctx: BenchContext, opts: IngestOptions): Promise<BenchReport> {
  const fragMs = DEFAULT_CHANNEL.fragDuration * 1000;
  const expectedPerChannel = expectedSegments(readFileSync(FIXTURE_360P), opts.seconds * 1000, fragMs);
  const notes: string[] = [];
  let servers = [...opts.servers];
  let nginxBin: NginxRtmpBinary | undefined;
  if (servers.includes('nginx')) {
    const found = findOrInstallNginxRtmp(ctx.progress);
    if ('skip' in found) {
      notes.push(`nginx-rtmp peer SKIPPED: ${found.skip}. Ratios against it are not reported.`);
      ctx.progress(`ingest: nginx-rtmp peer skipped: ${found.skip}`);
      servers = servers.filter((s) => s !== 'nginx');
    } else {
      nginxBin = found;
      notes.push(
        `Peer: ${found.version} (${found.nginx}), master + 1 worker, \`hls on; hls_fragment 2s; hls_cleanup off;\` on disk, generated config, own port.`,
      );
    }
  }

  const rows: Array<Array<string | number>> = [];
  const sinkRows: Array<Array<string | number>> = [];
  const checks: TargetCheck[] = [];
  for (const n of opts.ns) {
    const runs: RunResult[] = [];
    for (let rep = 0; rep < opts.repeats; rep++) {
      const order = rep % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) runs.push(await runServer(ctx, server, n, rep, opts, expectedPerChannel, nginxBin));
    }
    const of = (server: IngestServer) => runs.filter((r) => r.server === server);
    const perPublisher = (r: RunResult) => r.window.serverCpu / n;
    // Ratio per interleaved pair (run i of the emulator against run i of nginx), then the median of those.
    const nginxRuns = of('nginx');
    const ratioOf = (server: IngestServer): number =>
      nginxRuns.length
        ? median(of(server).map((r, i) => perPublisher(r) / perPublisher(nginxRuns[Math.min(i, nginxRuns.length - 1)]!)))
        : NaN;
    for (const server of servers) {
      const rs = of(server);
      if (!rs.length) continue;
      const ratio = server === 'nginx' ? 1 : ratioOf(server);
      const rssAbove = med(rs, (r) => (r.window.peakRss - r.idleRss) / n);
      rows.push([
        n,
        server,
        rs.length,
        rs.reduce((x, r) => x + r.failed, 0),
        fmt(
          med(rs, (r) => r.window.serverCpu),
          0,
        ),
        fmt(med(rs, perPublisher), 2),
        server === 'nginx' ? '1 (peer)' : fmt(ratio, 2),
        `${mib(med(rs, (r) => r.idleRss))} / ${mib(med(rs, (r) => r.window.peakRss))}`,
        fmt(rssAbove / 2 ** 20, 2),
        rs[0]!.visible
          ? `${fmt(
              med(rs, (r) => r.visible?.p50),
              0,
            )} / ${fmt(
              med(rs, (r) => r.visible?.p90),
              0,
            )} / ${fmt(
              med(rs, (r) => r.visible?.p99),
              0,
            )} / ${fmt(
              med(rs, (r) => r.visible?.max),
              0,
            )}`
          : '—',
        rs[0]!.internal
          ? `${fmt(
              med(rs, (r) => r.internal?.p50),
              0,
            )} / ${fmt(
              med(rs, (r) => r.internal?.p90),
              0,
            )} / ${fmt(
              med(rs, (r) => r.internal?.p99),
              0,
            )}`
          : '—',
        rs[0]!.loop
          ? `${fmt(
              med(rs, (r) => r.loop?.p99),
              0,
            )} / ${fmt(
              med(rs, (r) => r.loop?.max),
              0,
            )}`
          : '—',
        `${rs.map((r) => r.produced).join('+')} / ${rs.map((r) => r.expected).join('+')}`,
        rs.reduce((x, r) => x + r.lost, 0),
        fmt(Math.max(...rs.map((r) => r.maxLateMs)), 0),
        fmt(
          med(rs, (r) => r.window.pusherCpu),
          0,
        ),
        `${fmt(
          med(rs, (r) => r.window.noise.otherCpu),
          0,
        )} / ${fmt(
          med(rs, (r) => r.window.noise.cpuPressure),
          0,
        )} / ${fmt(
          med(rs, (r) => r.window.noise.ioPressure),
          0,
        )}`,
        rs.map((r) => fmt(r.loadAverage, 1)).join(', '),
      ]);
      for (const r of rs) {
        if (r.failures.length) notes.push(`N=${n} ${server} run: ${r.failed} publishers failed, e.g. ${r.failures.join('; ')}`);
        if (r.extra) notes.push(`N=${n} ${server} run: ${r.extra} segments more than expected.`);
      }
      if (server === 'emulator-disk') {
        if (nginxRuns.length && (n === 50 || n === 100)) {
          checks.push({
            target: `N=${n}: emulator (disk) CPU per publisher ≤ 1.0 × nginx-rtmp (hls on, disk)`,
            measured: fmt(ratio, 2),
            met: ratio <= 1,
          });
        }
        if (n === 100) {
          const p90 = med(rs, (r) => r.visible?.p90);
          const p99 = med(rs, (r) => r.visible?.p99);
          checks.push(
            { target: 'N=100 disk: segment-visible p90 < 50 ms', measured: `${fmt(p90, 0)} ms`, met: p90 < 50 },
            { target: 'N=100 disk: segment-visible p99 < 150 ms', measured: `${fmt(p99, 0)} ms`, met: p99 < 150 },
            {
              target: 'N=100 disk: RSS ≤ 0.5 MiB per publisher above idle',
              measured: `${fmt(rssAbove / 2 ** 20, 2)} MiB`,
              met: rssAbove <= 0.5 * 2 ** 20,
            },
          );
        }
        const lag = Math.max(...rs.map((r) => r.maxLateMs));
        const lost = rs.reduce((x, r) => x + r.lost + r.failed, 0);
        checks.push(
          { target: `N=${n} disk: publishers never more than 200 ms behind real time`, measured: `${fmt(lag, 0)} ms`, met: lag <= 200 },
          { target: `N=${n} disk: zero segments lost`, measured: `${lost} lost or failed`, met: lost === 0 },
        );
      }
    }
    if (opts.baselineSeconds > 0) {
      const sink = await runSink(ctx, n, opts);
      sinkRows.push([n, fmt(sink.sinkCpu, 1), fmt(sink.sinkCpu / n, 2), fmt(sink.pusherCpu, 0), fmt(sink.noise.otherCpu, 0), sink.failed]);
    }
  }
  notes.unshift(
    `Each publisher (the project's \`push\`, ${opts.publishersPerProcess} per process) replays fixtures/640x360-25fps-h264-aac.flv (~1 Mbps, 2 s GOP) in real time, looped, for ${opts.seconds} s of stream time; FragDuration ${DEFAULT_CHANNEL.fragDuration}, so ${expectedPerChannel} segments are expected per channel. Publishers start spread over ${opts.staggerMs} ms. Servers run interleaved (A B, B A, …), ${opts.repeats} run(s) each per N; figures are medians over the runs.`,
    'CPU % is of one core, user+system of every thread of the server\'s process tree (nginx: master + worker), from /proc, over the window from "every publisher live" to the first one finishing. ratio = emulator CPU per publisher / nginx\'s, per interleaved pair, median. RSS: the tree\'s VmRSS before the publishers start (idle) / peak sampled every 500 ms; "above idle per publisher" = (peak − idle) / N.',
    "visible = from the publisher handing the keyframe that closes a segment to its socket to a watcher process seeing the segment listed (nginx: its playlist renamed into place; emulator: its segment row, committed in the playlist's transaction), both watched with inotify plus a 25 ms poll. internal = the emulator's own onSegmentVisible (closing keyframe arrival → committed).",
    "max lag = the most any tag of any publisher went out behind its real-time schedule (TCP back-pressure from a slow server shows here). event-loop = the emulator's timer lateness (perf_hooks) over the window.",
    "other procs CPU % = machine busy time minus ours (other people's work shares the machine); CPU / IO pressure % = share of the window in which some task waited for a CPU / for I/O (Linux PSI); load = 1-minute load average when each run started.",
  );
  const tables = [
    {
      title: `ingest: N publishers x ${opts.seconds} s, each ~1 Mbps real time; medians of ${opts.repeats} interleaved run(s)`,
      columns: [
        'N',
        'server',
        'runs',
        'failed',
        'server CPU %',
        'CPU % per publisher',
        'ratio vs nginx',
        'RSS MiB idle / peak',
        'RSS MiB above idle per publisher',
        'visible p50 / p90 / p99 / max ms',
        'internal p50 / p90 / p99 ms',
        'event-loop p99 / max ms',
        'segments produced / expected',
        'lost',
        'max lag ms',
        'pushers CPU %',
        'other procs CPU % / CPU pressure % / IO pressure %',
        'load 1m per run',
      ],
      rows,
    },
  ];
  if (sinkRows.length) {
    tables.push({
      title: `baseline: the same N publishers for ${opts.baselineSeconds} s against a bare RTMP sink (handshake + publish answers, then read-and-discard)`,
      columns: ['N', 'sink CPU %', 'per publisher', 'pushers CPU %', 'other procs CPU %', 'failed'],
      rows: sinkRows,
    });
  }
  return { name: 'ingest', tables, checks, notes };
}
