// npm run soak: resilience under garbage and fuzzed input, bounded to < 3 minutes. See --help.
// The emulator runs in a child (node --expose-gc) so its RSS, heap and descriptors can be read before and after.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createBenchContext, FIXTURE_360P } from './lib/bench-context.js';
import { startEmulatorProcess, type Memory, type ServerStats } from './lib/emulator-process.js';
import { createBucket, createChannel, ossOk, publishUrl } from './lib/oss-client.js';
import { fdCount, fdKinds, memoryOf, tcpStatesOnPorts } from './lib/proc-stats.js';
import { sleep, type ChildMessage } from './lib/ts-child.js';
import { runGarbageConnections } from './soak/garbage-connections.js';
import { fuzzHttpInput, sendHttpInput } from './soak/fuzz-http.js';
import { recordPublish, sendRtmpInput } from './soak/fuzz-rtmp.js';
import { checkHealth, startLegitTraffic } from './soak/legit-traffic.js';
import { runBounded } from './soak/raw-exchange.js';
import { runHostilePublishers, type HostileOutcome } from './soak/hostile-publishers.js';

const USAGE = `Usage: npm run soak [-- flags]

  --connections N     garbage connections, spread over both ports (default 1000)
  --concurrency N     garbage connections open at once (default 50)
  --fuzz-seconds S    time for the RTMP and HTTP fuzz loops together (default 50)
  --max-inputs N      cap per fuzz loop (default 5000)
  --strict            also fail on any 5xx answer to a fuzzed HTTP request
  --hostile-seconds S stream time each hostile publisher (frozen / backwards / jumping timestamps) pushes at full
                      speed (default 120); --bare N bare pre-auth RTMP connections meanwhile (default 300)
Fails (exit 1) on: a failed legitimate request or publisher, a failed health check, the server exiting, or a leak
beyond the thresholds printed in the summary.`;

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '50' },
    'fuzz-seconds': { type: 'string', default: '50' },
    'max-inputs': { type: 'string', default: '5000' },
    strict: { type: 'boolean', default: false },
    'hostile-seconds': { type: 'string', default: '120' },
    bare: { type: 'string', default: '300' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

/** Leak thresholds: growth allowed between two measurements, each taken after a forced full GC. */
const FD_SLACK = 8;
const HEAP_SLACK_BYTES = 16 * 2 ** 20;
/** Across the garbage connections, which allocate little, RSS is a fair leak signal. */
const RSS_SLACK_BYTES = 64 * 2 ** 20;
/**
 * Across the fuzz loops, which send multi-MB bodies and headers, glibc keeps freed pages (measured: RSS steps up
 * 50-150 MiB and then wanders, with heap and external flat), so RSS only guards against a gross leak there; heap and
 * descriptors stay strict.
 */
const RSS_SLACK_AFTER_FUZZ_BYTES = 256 * 2 ** 20;
/**
 * During the hostile publishers (three pushes at full speed whose timestamps freeze, run back or jump, plus bare
 * pre-auth connections announcing 16 x 8 MiB messages): the RSS peak over the level before them. Unbounded, one
 * frozen publisher alone held its whole push (400 MB sent -> +570 MB) and 60 bare connections took 422 MB.
 */
const HOSTILE_RSS_PEAK_BYTES = 256 * 2 ** 20;
/** The server drops silent or half-done connections within 10 s (handshake and sniffer timeouts); give it 15. */
const SETTLE_MS = 15_000;
const BUCKET = 'soak';
const OBJECT_KEY = 'obj/segment.ts';
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const signed = (b: number) => `${b >= 0 ? '+' : ''}${b}`;

const ctx = createBenchContext('soak');
const started = performance.now();
const failures: string[] = [];
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  ctx.progress(line);
};

const server = await startEmulatorProcess(ctx.workDir, 'soak-emulator', { nodeFlags: ['--expose-gc'] });
const { endpoint } = server;
const pid = server.child.pid;
let serverExited = false;
let stoppingServer = false;
void server.child.exited.then((info) => {
  serverExited = true;
  if (!stoppingServer) failures.push(`the emulator process exited: ${JSON.stringify(info)}`);
});

interface Snapshot {
  fds: number;
  fdKinds: Record<string, number>;
  rss: number;
  memory: Memory;
}
const snapshot = async (): Promise<Snapshot> => {
  const { memory } = await server.child.request<ChildMessage & { memory: Memory }>({ type: 'gc' }, 'gc');
  return { fds: fdCount(pid), fdKinds: fdKinds(pid), rss: memoryOf(pid).rssBytes, memory };
};

const flv = readFileSync(FIXTURE_360P);
const objectBytes = randomBytes(256 * 1024);
await createBucket(endpoint, BUCKET);
await createChannel(endpoint, BUCKET, 'live');
await createChannel(endpoint, BUCKET, 'fuzz');
for (const name of ['frozen', 'backwards', 'jumping']) await createChannel(endpoint, BUCKET, name);
await ossOk(endpoint, { method: 'PUT', bucket: BUCKET, key: OBJECT_KEY, contentType: 'video/MP2T', body: objectBytes });

const legit = await startLegitTraffic(endpoint, {
  publishUrl: publishUrl(endpoint, BUCKET, 'live'),
  flv,
  bucket: BUCKET,
  objectKey: OBJECT_KEY,
  objectBytes: objectBytes.length,
  channel: 'live',
  everyMs: 250,
});
say('legitimate publisher live; HTTP reads every 250 ms (health, GetObject 256 KiB, GetLiveChannelStat)');

// Recorded now, before the measurements: recording publishes to the 'fuzz' channel once.
const recording = await recordPublish(endpoint.rtmpPort, (port) => publishUrl(endpoint, BUCKET, 'fuzz', port), flv, 3000);
say(`recorded a real publish for the RTMP fuzzer: ${recording.length} bytes`);
await sleep(3000);
const before = await snapshot();
say(`before: ${before.fds} fds, RSS ${mib(before.rss)}, heap ${mib(before.memory.heapUsed)}`);

// 1. Garbage connections.
const connections = Number(values.connections);
const garbage = await runGarbageConnections([endpoint.httpPort, endpoint.rtmpPort], connections, Number(values.concurrency), 5000);
say(
  `garbage: ${garbage.connections} connections done; fds now ${fdCount(pid)}, server TCP states ${JSON.stringify(tcpStatesOnPorts([endpoint.httpPort, endpoint.rtmpPort]))}`,
);
const settleStart = performance.now();
while (performance.now() - settleStart < SETTLE_MS && fdCount(pid) > before.fds + FD_SLACK) await sleep(250);
say(`fds back to ${fdCount(pid)} after ${((performance.now() - settleStart) / 1000).toFixed(1)} s`);
const afterGarbage = await snapshot();
const tcpAfterGarbage = tcpStatesOnPorts([endpoint.httpPort, endpoint.rtmpPort]);
const garbageChecks: Array<[string, number, number, (n: number) => string]> = [
  ['open fds', afterGarbage.fds - before.fds, FD_SLACK, String],
  ['heap used', afterGarbage.memory.heapUsed - before.memory.heapUsed, HEAP_SLACK_BYTES, mib],
  ['RSS', afterGarbage.rss - before.rss, RSS_SLACK_BYTES, mib],
];
for (const [what, growth, slack, show] of garbageChecks) {
  if (growth > slack) failures.push(`across the garbage connections, ${what} grew by ${show(growth)} (threshold ${show(slack)})`);
}

// 2. Fuzz loops, health-checked after each batch.
const fuzzDeadline = performance.now() + Number(values['fuzz-seconds']) * 1000;
const maxInputs = Number(values['max-inputs']);
const BATCH = 100;
const healthAfterBatch = async (what: string, done: number) => {
  try {
    await checkHealth(endpoint, 2000);
  } catch (err) {
    failures.push(`health check failed after ${done} ${what} inputs: ${(err as Error).message}`);
  }
};

let rtmpInputs = 0;
let rtmpClosedByServer = 0;
const rtmpDeadline = performance.now() + (fuzzDeadline - performance.now()) / 2;
while (rtmpInputs < maxInputs && performance.now() < rtmpDeadline && !serverExited) {
  const n = Math.min(BATCH, maxInputs - rtmpInputs);
  await runBounded(n, 16, async (i) => {
    const port = i % 4 === 3 ? endpoint.httpPort : endpoint.rtmpPort; // a quarter through the sniffing HTTP port
    if (await sendRtmpInput(port, recording, 300)) rtmpClosedByServer++;
  });
  rtmpInputs += n;
  await healthAfterBatch('RTMP', rtmpInputs);
}
say(`RTMP fuzz: ${rtmpInputs} mutated publishes sent, ${rtmpClosedByServer} closed by the server within 300 ms`);

let httpInputs = 0;
const statuses: Record<string, number> = {};
const byKind: Record<string, Record<string, number>> = {};
const serverErrors: string[] = [];
let unexpected5xx = 0;
while (httpInputs < maxInputs && performance.now() < fuzzDeadline && !serverExited) {
  const n = Math.min(BATCH, maxInputs - httpInputs);
  await runBounded(n, 16, async () => {
    const input = fuzzHttpInput(endpoint, BUCKET, OBJECT_KEY, 'live');
    const { status, head } = await sendHttpInput(endpoint.httpPort, input.bytes, 3000);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status >= 500 && status !== 501) unexpected5xx++;
    const kindCounts = (byKind[input.kind] ??= {});
    kindCounts[status] = (kindCounts[status] ?? 0) + 1;
    // 501 is OSS's NotImplemented (an operation the emulator does not offer), a deliberate answer; other 5xx are not.
    if (status >= 500 && status !== 501 && serverErrors.length < 5) {
      serverErrors.push(
        `${input.kind}: ${JSON.stringify(input.bytes.toString('latin1', 0, 160))}… -> ${JSON.stringify(head.slice(0, 400))}`,
      );
    }
  });
  httpInputs += n;
  await healthAfterBatch('HTTP', httpInputs);
}
say(`HTTP fuzz: ${httpInputs} inputs; statuses ${JSON.stringify(statuses)}`);
if (values.strict && unexpected5xx) failures.push(`${unexpected5xx} fuzzed HTTP requests got a 5xx other than NotImplemented`);

// 3. Hostile publishers and bare pre-auth RTMP connections, with the RSS peak sampled meanwhile.
const beforeHostile = await snapshot();
let hostileRssPeak = beforeHostile.rss;
let hostile: HostileOutcome | undefined;
if (!serverExited) {
  hostile = await runHostilePublishers(
    (['frozen', 'backwards', 'jumping'] as const).map((name) => ({ name, url: publishUrl(endpoint, BUCKET, name) })),
    endpoint.rtmpPort,
    flv,
    Number(values['hostile-seconds']) * 1000,
    Number(values.bare),
    () => {
      if (!serverExited) hostileRssPeak = Math.max(hostileRssPeak, memoryOf(pid).rssBytes);
    },
  );
  for (const p of hostile.publishers) if (p.error) failures.push(`hostile publisher ${p.name} was dropped: ${p.error}`);
  if (hostileRssPeak - beforeHostile.rss > HOSTILE_RSS_PEAK_BYTES) {
    failures.push(
      `during the hostile publishers RSS peaked ${mib(hostileRssPeak - beforeHostile.rss)} above its level before them (threshold ${mib(HOSTILE_RSS_PEAK_BYTES)})`,
    );
  }
  if (hostile.preAuth.refusedAtOnce === 0)
    failures.push('no bare pre-auth connection was refused: the unauthenticated-connection cap did not act');
  await healthAfterBatch('hostile publisher', hostile.publishers.length);
  say(
    `hostile: ${hostile.publishers.map((p) => `${p.name} ${mib(p.bytesSent)}`).join(', ')}; bare ${JSON.stringify(hostile.preAuth)}; RSS peak +${mib(hostileRssPeak - beforeHostile.rss)}`,
  );
}

// 4. Stop the legitimate traffic, settle, measure.
const legitRequests = legit.requests();
const published = legit.publisherStats();
await legit.stop();
failures.push(...legit.failures.slice(0, 10));
if (legit.failures.length > 10) failures.push(`… and ${legit.failures.length - 10} more legitimate failures`);
const finalSettle = performance.now();
while (performance.now() - finalSettle < SETTLE_MS && fdCount(pid) > before.fds + FD_SLACK) await sleep(250);
// A publish is over once its last segment and playlist are committed, a moment after its socket closed.
let liveLeft: string[] = [];
for (const deadline = performance.now() + 10_000; !serverExited; await sleep(100)) {
  liveLeft = (await server.child.request<ServerStats>({ type: 'stats' }, 'stats')).liveChannels;
  if (liveLeft.length === 0 || performance.now() > deadline) break;
}
const after = serverExited ? undefined : await snapshot();

const leakChecks: Array<[string, number, number, (n: number) => string]> = after
  ? [
      ['open fds', after.fds - before.fds, FD_SLACK, String],
      ['heap used', after.memory.heapUsed - before.memory.heapUsed, HEAP_SLACK_BYTES, mib],
      ['RSS', after.rss - before.rss, RSS_SLACK_AFTER_FUZZ_BYTES, mib],
    ]
  : [];
for (const [what, growth, slack, show] of leakChecks) {
  if (growth > slack) failures.push(`over the whole soak, ${what} grew by ${show(growth)} (threshold ${show(slack)})`);
}
if (after && liveLeft.length) failures.push(`still live 10 s after every publisher stopped: ${liveLeft.join(', ')}`);
stoppingServer = true;
await server.child.stop();

const summary = [
  '',
  '## soak summary',
  '',
  `duration ${((performance.now() - started) / 1000).toFixed(0)} s; legitimate: ${legitRequests} HTTP requests, publisher sent ${published.tagsSent} tags / ${mib(published.bytesSent)}`,
  `garbage connections: ${garbage.connections} (${Object.entries(garbage.byKind)
    .map(([k, v]) => `${k} ${v.count} (${v.closedByServer} closed by server)`)
    .join(', ')})`,
  `after the garbage (and up to ${SETTLE_MS / 1000} s to settle), after GC: fds ${before.fds} -> ${afterGarbage.fds} (threshold +${FD_SLACK}), heap ${mib(before.memory.heapUsed)} -> ${mib(afterGarbage.memory.heapUsed)} (threshold +${mib(HEAP_SLACK_BYTES)}), RSS ${mib(before.rss)} -> ${mib(afterGarbage.rss)} (threshold +${mib(RSS_SLACK_BYTES)}); server-side TCP ${JSON.stringify(tcpAfterGarbage)}`,
  `RTMP fuzz: ${rtmpInputs} mutated publishes (recording of ${recording.length} B; ${rtmpClosedByServer} closed by the server within 300 ms)`,
  hostile
    ? `hostile publishers (full speed, ${values['hostile-seconds']} s of stream each): ${hostile.publishers.map((p) => `${p.name} sent ${mib(p.bytesSent)}${p.error ? ` (dropped: ${p.error})` : ''}`).join(', ')}; bare pre-auth connections ${hostile.preAuth.opened} (${hostile.preAuth.refusedAtOnce} refused at once by the cap, ${hostile.preAuth.closedByServer} closed by the server after announcing 8 MiB messages); RSS before ${mib(beforeHostile.rss)}, peak ${mib(hostileRssPeak)} (+${mib(hostileRssPeak - beforeHostile.rss)}, threshold +${mib(HOSTILE_RSS_PEAK_BYTES)})`
    : 'hostile publishers: not run (server gone)',
  `HTTP fuzz: ${httpInputs} inputs; statuses ${JSON.stringify(statuses)}; 5xx other than 501 NotImplemented: ${unexpected5xx}`,
  ...Object.entries(byKind).map(([kind, s]) => `  ${kind}: ${JSON.stringify(s)}`),
  ...serverErrors.map((e) => `  5xx sample: ${e}`),
  `memory (after GC): before heap ${mib(before.memory.heapUsed)}, external ${mib(before.memory.external)} (array buffers ${mib(before.memory.arrayBuffers)}), RSS ${mib(before.rss)}; after the garbage connections RSS ${mib(afterGarbage.rss)}${after ? `; at the end heap ${mib(after.memory.heapUsed)}, external ${mib(after.memory.external)} (array buffers ${mib(after.memory.arrayBuffers)}), RSS ${mib(after.rss)}` : ''}`,
  after
    ? `end vs before (after GC): fds ${before.fds} -> ${after.fds} (${signed(after.fds - before.fds)}, threshold +${FD_SLACK}; ${JSON.stringify(before.fdKinds)} -> ${JSON.stringify(after.fdKinds)}), heap ${mib(before.memory.heapUsed)} -> ${mib(after.memory.heapUsed)} (threshold +${mib(HEAP_SLACK_BYTES)}), RSS ${mib(before.rss)} -> ${mib(after.rss)} (threshold +${mib(RSS_SLACK_AFTER_FUZZ_BYTES)}: allocator retention after multi-MB fuzz inputs)`
    : 'the emulator process is gone: no final measurement',
  failures.length ? `FAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}` : 'PASSED',
  '',
].join('\n');
process.stdout.write(summary);
if (failures.length) process.stderr.write(`logs kept in ${ctx.workDir}\n`);
else rmSync(ctx.workDir, { recursive: true, force: true });
process.exit(failures.length ? 1 : 0);
