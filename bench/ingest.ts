// ingest: N real-time publishers (pusher processes) -> the emulator (its own process) for `seconds`, at each N.
// Measures the server's CPU and RSS from /proc, the segment-visible delay (the emulator's onSegmentVisible hook,
// collected in the server process), TS objects committed vs expected, and failed publishers. Baseline: the same
// publishers pushing to a bare RTMP sink that reads and discards (bench/children/rtmp-sink.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlv } from '../src/media/flv.js';
import { FIXTURE_360P, type BenchContext } from './lib/bench-context.js';
import { startEmulatorProcess, type SegmentCounts, type ServerStats } from './lib/emulator-process.js';
import { createBucket, createChannel, DEFAULT_CHANNEL, publishUrl, type OssEndpoint } from './lib/oss-client.js';
import { summarize } from './lib/percentiles.js';
import { CpuMeter, MachineNoiseMeter, memoryOf, type MachineNoise } from './lib/proc-stats.js';
import { fmt, mib, type BenchReport } from './lib/report.js';
import { childScript, sleep, TsChild, type ChildMessage } from './lib/ts-child.js';
import type { PublisherOutcome } from './children/rtmp-pushers.js';

export interface IngestOptions {
  ns: number[];
  seconds: number;
  /** How long the bare-sink baseline runs at each N (its CPU rate is steady after a few seconds). */
  baselineSeconds: number;
  /** Publisher i starts at i x stagger / N: encoders do not all start on the same millisecond. */
  staggerMs: number;
  publishersPerProcess: number;
}

const BUCKET = 'bench-ingest';

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
 * sampling RSS every 500 ms.
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
  const server = new CpuMeter(serverPid);
  const pushers = pusherPids.map((pid) => new CpuMeter(pid));
  const noise = new MachineNoiseMeter(() => [serverPid, ...pusherPids]);
  const endAt = firstStartMs + seconds * 1000 - 1000;
  let peakRss = memoryOf(serverPid).rssBytes;
  while (performance.now() < endAt) {
    await sleep(Math.min(500, Math.max(0, endAt - performance.now())));
    peakRss = Math.max(peakRss, memoryOf(serverPid).rssBytes);
  }
  const s = server.read();
  const endRss = memoryOf(serverPid).rssBytes;
  return {
    serverCpu: s.percentOfOneCore,
    pusherCpu: pushers.reduce((n, p) => n + p.read().percentOfOneCore, 0),
    noise: noise.readAll(),
    seconds: s.wallSeconds,
    peakRss,
    endRss,
  };
}

interface OursAtN {
  n: number;
  failed: number;
  failures: string[];
  window: Window;
  delays: ReturnType<typeof summarize>;
  /** The server's event-loop delay over the steady window. */
  loop: ServerStats['eventLoopDelayMs'];
  expectedPerChannel: number;
  expected: number;
  committed: number;
  lost: number;
  extra: number;
  maxLagMs: number;
  setupP99Ms: number;
}

async function runOurs(ctx: BenchContext, n: number, opts: IngestOptions, expectedPerChannel: number): Promise<OursAtN> {
  ctx.progress(`ingest: N=${n}, emulator for ${opts.seconds} s`);
  const emulator = await startEmulatorProcess(ctx.workDir, `ingest-${n}-emulator`);
  try {
    const endpoint: OssEndpoint = emulator.endpoint;
    await createBucket(endpoint, BUCKET);
    const channels = Array.from({ length: n }, (_, i) => `ch${String(i).padStart(3, '0')}`);
    for (let i = 0; i < channels.length; i += 10)
      await Promise.all(channels.slice(i, i + 10).map((c) => createChannel(endpoint, BUCKET, c)));
    const urls = channels.map((c) => publishUrl(endpoint, BUCKET, c));

    const fleet = await startPushers(ctx, `ingest-${n}`, urls, opts, opts.seconds);
    const firstStartMs = performance.now();
    const resetServerStats = () => emulator.child.request<ServerStats>({ type: 'stats', resetLoopDelay: true }, 'stats');
    const window = await measureSteadyWindow(emulator.child.pid, fleet, opts.seconds, firstStartMs, resetServerStats);
    const loop = (await emulator.child.request<ServerStats>({ type: 'stats' }, 'stats')).eventLoopDelayMs;
    const outcomes = await fleet.done;
    await Promise.all(fleet.children.map((c) => c.stop()));

    // Every publish has ended; wait until the emulator has committed their last segments and closed them.
    let stats = await emulator.child.request<ServerStats>({ type: 'stats' }, 'stats');
    for (const deadline = performance.now() + 30_000; stats.livePublishes > 0 && performance.now() < deadline;) {
      await sleep(200);
      stats = await emulator.child.request<ServerStats>({ type: 'stats' }, 'stats');
    }
    const counts = await emulator.child.request<SegmentCounts>({ type: 'segments', bucket: BUCKET }, 'segments');

    const failedOutcomes = outcomes.filter((o) => !o.ok);
    const okChannels = new Set(outcomes.filter((o) => o.ok).map((o) => channels[urls.indexOf(o.url)]!));
    let committed = 0;
    let lost = 0;
    let extra = 0;
    for (const channel of okChannels) {
      const got = counts.tsObjects[channel] ?? 0;
      committed += got;
      lost += Math.max(0, expectedPerChannel - got);
      extra += Math.max(0, got - expectedPerChannel);
    }
    const ok = outcomes.filter((o) => o.ok);
    return {
      n,
      failed: failedOutcomes.length,
      failures: failedOutcomes.slice(0, 3).map((o) => `${o.url.replace(/\?.*/, '')}: ${o.error}`),
      window,
      delays: summarize(stats.delays),
      loop,
      expectedPerChannel,
      expected: expectedPerChannel * okChannels.size,
      committed,
      lost,
      extra,
      maxLagMs: Math.max(0, ...ok.map((o) => (o.publishingMs ?? 0) - opts.seconds * 1000)),
      setupP99Ms: summarize(outcomes.map((o) => o.setupMs ?? NaN).filter(Number.isFinite)).p99,
    };
  } finally {
    await emulator.child.stop();
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

export async function runIngest(ctx: BenchContext, opts: IngestOptions): Promise<BenchReport> {
  const fragMs = DEFAULT_CHANNEL.fragDuration * 1000;
  const expectedPerChannel = expectedSegments(readFileSync(FIXTURE_360P), opts.seconds * 1000, fragMs);
  const rows = [];
  const checks = [];
  const notes: string[] = [];
  for (const n of opts.ns) {
    const ours = await runOurs(ctx, n, opts, expectedPerChannel);
    const sink = await runSink(ctx, n, opts);
    const w = ours.window;
    rows.push([
      n,
      ours.failed,
      fmt(w.serverCpu, 0),
      fmt(w.serverCpu / n, 2),
      fmt(sink.sinkCpu, 1),
      fmt(w.serverCpu / sink.sinkCpu, 1),
      `${mib(w.endRss)} / ${mib(w.peakRss)}`,
      fmt(ours.delays.p50, 1),
      fmt(ours.delays.p99, 1),
      fmt(ours.delays.max, 0),
      `${fmt(ours.loop.p99, 0)} / ${fmt(ours.loop.max, 0)}`,
      `${ours.committed} / ${ours.expected}`,
      ours.lost,
      fmt(w.pusherCpu, 0),
      fmt(ours.maxLagMs, 0),
      `${fmt(w.noise.otherCpu, 0)} / ${fmt(w.noise.cpuPressure, 0)} / ${fmt(w.noise.ioPressure, 0)}`,
    ]);
    if (ours.failures.length) notes.push(`N=${n}: ${ours.failed} publishers failed, e.g. ${ours.failures.join('; ')}`);
    if (ours.extra) notes.push(`N=${n}: ${ours.extra} segments more than expected.`);
    if (sink.failed) notes.push(`N=${n}: ${sink.failed} publishers failed against the bare sink (a pusher problem, not the emulator's).`);
    if (n === 100) {
      checks.push(
        { target: 'N=100: p99 segment-visible delay < 200 ms', measured: `${fmt(ours.delays.p99, 1)} ms`, met: ours.delays.p99 < 200 },
        { target: 'N=100: no segment lost', measured: `${ours.lost} lost of ${ours.expected}`, met: ours.lost === 0 && ours.failed === 0 },
      );
    }
  }
  notes.unshift(
    `Each publisher replays fixtures/640x360-25fps-h264-aac.flv (~1 Mbps, 2 s GOP) in real time, looped, for ${opts.seconds} s of stream time; channels have FragDuration ${DEFAULT_CHANNEL.fragDuration}, so ${expectedPerChannel} segments are expected per channel. Publishers start spread over ${opts.staggerMs} ms, ${opts.publishersPerProcess} per pusher process.`,
    'CPU % is of one core, user+system of all threads, from /proc/<pid>/stat, over the window from "every publisher live" to the first one finishing. RSS from /proc/<pid>/status: at the end of that window / peak sampled every 500 ms.',
    "Delay = the emulator's onSegmentVisible: from the arrival of the keyframe that closes a segment to that segment and the playlist being committed (all segments of all channels).",
    `Baseline: the same N publishers for ${opts.baselineSeconds} s against a bare RTMP sink (handshake + publish answers, then read-and-discard).`,
    "event-loop delay = how late the emulator's timers fired (perf_hooks.monitorEventLoopDelay) over the window: a blocked loop delays every connection. Max pacing lag = how much longer than its stream time a publisher took, close handshake included (the publisher waits up to 2 s for the server to close).",
    "other procs CPU % = machine busy time minus ours (other people's work shares the machine); CPU / IO pressure % = share of the window in which some task waited for a CPU / for I/O (Linux PSI).",
  );
  return {
    name: 'ingest',
    tables: [
      {
        title: `ingest: N publishers x ${opts.seconds} s, each ~1 Mbps real time`,
        columns: [
          'N',
          'failed',
          'server CPU %',
          'CPU % per publisher',
          'bare sink CPU %',
          'x sink',
          'RSS MiB end / peak',
          'delay p50 ms',
          'delay p99 ms',
          'delay max ms',
          'event-loop delay p99 / max ms',
          'segments committed / expected',
          'lost',
          'pushers CPU %',
          'max pacing lag ms',
          'other procs CPU % / CPU pressure % / IO pressure %',
        ],
        rows,
      },
    ],
    checks,
    notes,
  };
}
