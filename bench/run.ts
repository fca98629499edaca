// npm run bench [-- <rest|remux|ingest|startup|multipart|test-controls>...] [flags]: see --help. Each benchmark prints its figures and a
// ratio against a baseline measured in the same run; the default run takes about 25 minutes (ingest: 3 interleaved
// runs of the emulator and nginx-rtmp at 50 and 100 publishers, ~17 of them).
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createBenchContext, FFMPEG, REPO_ROOT } from './lib/bench-context.js';
import { describeMachine } from './lib/machine.js';
import { renderReport, type BenchReport } from './lib/report.js';
import { INGEST_SERVERS, runIngest, type IngestServer } from './ingest.js';
import { runMultipart } from './multipart.js';
import { runRemux } from './remux.js';
import { runRest } from './rest.js';
import { runStartup } from './startup.js';
import { runTestControls } from './test-controls.js';
import { staleReason } from '../scripts/start.mjs';

const BENCHES = ['rest', 'remux', 'ingest', 'startup', 'multipart', 'test-controls'] as const;
type BenchName = (typeof BENCHES)[number];

const USAGE = `Usage: npm run bench [-- [rest] [remux] [ingest] [startup] [multipart] [test-controls] [flags]]   (no names = all six)

  --duration S           ingest: seconds of streaming at each N (default 60)
  --ns LIST              ingest: publisher counts (default 50,100)
  --ingest-servers LIST  ingest: servers run interleaved at each N (default emulator-disk,nginx; also emulator-memory)
  --ingest-repeats N     ingest: runs of each server at each N; medians reported (default 3)
  --baseline-duration S  ingest: seconds of the bare-sink baseline at each N (default 10; 0 skips it)
  --stagger-ms MS        ingest: publisher i starts at i x MS / N (default 2000)
  --per-process N        ingest: publishers per pusher process (default 100)
  --rest-seconds S       rest: measured seconds per run (default 3; plus --rest-warmup, default 1)
  --rest-rounds N        rest: interleaved rounds, each row the median (default 3)
  --no-peers             rest: leave out Azurite and s3rver (else installed once into node_modules/.cache/bench-peers)
  --connections N        rest: concurrent connections (default 50)
  --remux-seconds S      remux: seconds of repeats per fixture (default 2)
  --startup-repeats N    startup: spawns per variant (default 5)
  --multipart-mib N      multipart: object size in MiB (default 1024)
  --part-mb N            multipart: part size in MB (default 10)
  --multipart-parallel N multipart: parts in flight (default 4)
  --multipart-repeats N  multipart: interleaved PutObject/multipart runs, best of each reported (default 2)
  --test-controls-repeats N  test-controls: runs of each scenario (default 3; each bounded to 60 s)
  --emulator BUILD       the emulator's code: dist (default: the compiled build users run, built first when stale)
                         or src (the TypeScript sources under tsx, whose transform adds a __name() call per closure)
  --markdown FILE        also write the report (markdown) to FILE
  --json FILE            also write the raw reports as JSON
  --check                exit 1 when a target is not met (default: report only)
  --keep-logs            keep the child process logs (else removed when every benchmark succeeded)

Quick run: npm run bench -- --duration 10 --ns 10,100 --rest-seconds 2 --rest-rounds 1 --startup-repeats 3`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: 'string', default: '60' },
    ns: { type: 'string', default: '50,100' },
    'ingest-servers': { type: 'string', default: 'emulator-disk,nginx' },
    'ingest-repeats': { type: 'string', default: '3' },
    'baseline-duration': { type: 'string', default: '10' },
    'stagger-ms': { type: 'string', default: '2000' },
    'per-process': { type: 'string', default: '100' },
    'rest-seconds': { type: 'string', default: '3' },
    'rest-warmup': { type: 'string', default: '1' },
    'rest-rounds': { type: 'string', default: '3' },
    'no-peers': { type: 'boolean', default: false },
    connections: { type: 'string', default: '50' },
    'remux-seconds': { type: 'string', default: '2' },
    'startup-repeats': { type: 'string', default: '5' },
    'multipart-mib': { type: 'string', default: '1024' },
    'part-mb': { type: 'string', default: '10' },
    'multipart-parallel': { type: 'string', default: '4' },
    'multipart-repeats': { type: 'string', default: '2' },
    'test-controls-repeats': { type: 'string', default: '3' },
    emulator: { type: 'string', default: 'dist' },
    markdown: { type: 'string' },
    json: { type: 'string' },
    check: { type: 'boolean', default: false },
    'keep-logs': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const unknown = positionals.filter((p) => !(BENCHES as readonly string[]).includes(p));
if (unknown.length) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}\n\n${USAGE}\n`);
  process.exit(2);
}
const num = (name: keyof typeof values): number => {
  const n = Number(values[name]);
  if (!(n > 0)) {
    process.stderr.write(`--${name} must be a positive number, got ${String(values[name])}\n`);
    process.exit(2);
  }
  return n;
};
const selected: BenchName[] = positionals.length ? BENCHES.filter((b) => positionals.includes(b)) : [...BENCHES];
const ns = String(values.ns)
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);

const ingestServers = String(values['ingest-servers']).split(',').filter(Boolean) as IngestServer[];
const unknownServers = ingestServers.filter((s) => !(INGEST_SERVERS as readonly string[]).includes(s));
if (unknownServers.length) {
  process.stderr.write(`unknown ingest server ${unknownServers.join(', ')} (known: ${INGEST_SERVERS.join(', ')})\n`);
  process.exit(2);
}

if (values.emulator !== 'dist' && values.emulator !== 'src') {
  process.stderr.write(`--emulator must be dist or src, got ${String(values.emulator)}\n`);
  process.exit(2);
}
if (values.emulator === 'dist') {
  const stale = staleReason();
  if (stale !== undefined) {
    process.stderr.write(`building dist/ for the benchmarks (${stale}) …\n`);
    const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 2, 2] });
    if (build.status !== 0) {
      process.stderr.write('npm run build failed: not benchmarking a stale dist/ (or pass --emulator src)\n');
      process.exit(1);
    }
  }
}
// Read by bench/lib/emulator-process.ts in this process and its children.
process.env.BENCH_EMULATOR = values.emulator;

const ctx = createBenchContext('bench');
const header = [
  `# oss-live-emulator benchmarks`,
  '',
  ...describeMachine(FFMPEG).map((l) => `- ${l}`),
  `- command: npm run bench -- ${process.argv.slice(2).join(' ')}`.trimEnd(),
  `- emulator code: ${values.emulator === 'dist' ? 'dist/ (the compiled build)' : 'src/ under tsx'}`,
  '',
];
process.stdout.write(`${header.join('\n')}\n`);

const reports: BenchReport[] = [];
const failures: string[] = [];
const started = performance.now();
for (const name of selected) {
  try {
    let report: BenchReport;
    if (name === 'rest')
      report = await runRest(ctx, {
        connections: num('connections'),
        warmupSeconds: num('rest-warmup'),
        seconds: num('rest-seconds'),
        rounds: num('rest-rounds'),
        noPeers: values['no-peers'],
      });
    else if (name === 'remux') report = await runRemux(ctx, { seconds: num('remux-seconds'), warmupSeconds: 1 });
    else if (name === 'ingest')
      report = await runIngest(ctx, {
        ns,
        seconds: num('duration'),
        baselineSeconds: Number(values['baseline-duration']) >= 0 ? Number(values['baseline-duration']) : 10,
        repeats: num('ingest-repeats'),
        servers: ingestServers,
        staggerMs: num('stagger-ms'),
        publishersPerProcess: num('per-process'),
      });
    else if (name === 'multipart')
      report = await runMultipart(ctx, {
        sizeMiB: num('multipart-mib'),
        partMB: num('part-mb'),
        parallel: num('multipart-parallel'),
        repeats: num('multipart-repeats'),
      });
    else if (name === 'test-controls') report = await runTestControls(ctx, { repeats: num('test-controls-repeats') });
    else report = await runStartup(ctx, { repeats: num('startup-repeats') });
    reports.push(report);
    process.stdout.write(`\n${renderReport(report)}`);
  } catch (err) {
    failures.push(name);
    process.stdout.write(`\n### ${name}\n\nFAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
}

const missed = reports.flatMap((r) => r.checks.filter((c) => !c.met).map((c) => `${r.name}: ${c.target} (${c.measured})`));
const summary = [
  '',
  '### summary',
  '',
  `total time ${((performance.now() - started) / 1000).toFixed(0)} s; targets met ${reports.flatMap((r) => r.checks).filter((c) => c.met).length}, not met ${missed.length}${failures.length ? `; FAILED to run: ${failures.join(', ')}` : ''}`,
  ...missed.map((m) => `- not met: ${m}`),
  '',
].join('\n');
process.stdout.write(summary);

if (values.markdown)
  writeFileSync(values.markdown, `${header.join('\n')}\n${reports.map((r) => `\n${renderReport(r)}`).join('')}${summary}`);
if (values.json) writeFileSync(values.json, JSON.stringify({ header, reports }, null, 2));
if (failures.length || values['keep-logs']) process.stderr.write(`child process logs kept in ${ctx.workDir}\n`);
else rmSync(ctx.workDir, { recursive: true, force: true });
process.exit(failures.length ? 1 : values.check && missed.length ? 1 : 0);
