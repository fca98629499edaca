// startup: spawn -> first 200 from the health URL, repeated; CPU of the process tree until then; idle RSS one second later.
// Variants: `npm start` as the README says it (warm: dist/ already fresh), node dist/cli.js (--in-memory and with a data
// directory: the idle-RSS goal), and the sources run by npx tsx (the process tree npm start was before it ran dist/).
// Baseline: a bare node:http server doing the same (spawn -> 200).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { REPO_ROOT, type BenchContext } from './lib/bench-context.js';
import { freePort } from './lib/free-port.js';
import { median } from './lib/percentiles.js';
import { MachineNoiseMeter, memoryBreakdown, memoryOf, processTree, treeCpuSeconds, treeRssBytes } from './lib/proc-stats.js';
import { fmt, mib, type BenchReport } from './lib/report.js';
import { sleep } from './lib/ts-child.js';

export interface StartupOptions {
  repeats: number;
}

interface Variant {
  label: string;
  /** The program; node (this one) unless set. */
  command?: string;
  args: (rtmpPort: number) => string[];
  /** Finds the listening HTTP port in the process's stdout. */
  port: RegExp;
  healthPath: string;
  /** Where it runs (the repository unless set). */
  cwd?: string;
  /** After the idle reading: a path that loads what idle does not (the emulator's admin app), then RSS again. */
  loadPath?: string;
}

const BASELINE_SCRIPT =
  "const s=require('http').createServer((q,r)=>r.end('ok')).listen(0,'127.0.0.1',()=>console.log('port '+s.address().port))";
/** The floor of the emulator's stack: the same server after loading better-sqlite3 and opening a database in memory. */
const SQLITE_BASELINE_SCRIPT = `new (require('better-sqlite3'))(':memory:').exec('create table t(x)');${BASELINE_SCRIPT}`;

function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

/** The process of `pids` holding the socket listening on `port` (npm start: the node under npm and sh; tsx: not esbuild). */
function listenerOf(pids: readonly number[], port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && parseInt(f[1]?.split(':')[1] ?? '', 16) === port) inodes.add(f[9]!);
    }
  }
  for (const pid of pids) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return pid;
      }
    } catch {
      // exited, or not ours to read
    }
  }
  return undefined;
}

interface StartRun {
  msToHealthy: number;
  /** User + system CPU of the whole tree (npm, sh, node) from spawn to healthy: less noisy than wall time on a busy machine. */
  cpuMsToHealthy: number;
  /** The process answering (the server), 1 s after healthy. */
  idleRssBytes: number;
  /** The whole tree (npm start: npm + sh + node). */
  treeRssBytes: number;
  /** The server's RSS 1 s after a request to the variant's `loadPath`. */
  loadedRssBytes?: number;
  /** Where the idle server's memory is, 1 s after healthy and again after SETTLE_MS (breakdown runs only). */
  memory?: { idle: ReturnType<typeof memoryBreakdown>; settled: ReturnType<typeof memoryBreakdown> };
}

/** V8 shrinks a heap grown by startup (its memory reducer) once the process has been idle for several seconds. */
const SETTLE_MS = 15_000;

/** One spawn to healthy; with `breakdown`, the idle memory is also split 1 s and SETTLE_MS after healthy. */
async function startOnce(variant: Variant, breakdown = false): Promise<StartRun> {
  const rtmpPort = await freePort();
  const t0 = performance.now();
  // Its own process group, so npm and what it started stop together.
  const child = spawn(variant.command ?? process.execPath, variant.args(rtmpPort), {
    cwd: variant.cwd ?? REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${variant.label}: no port within 30 s; output: ${output}`)), 30_000);
      child.stdout.on('data', (c: Buffer) => {
        output += c.toString();
        const m = variant.port.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.once('exit', (code) => reject(new Error(`${variant.label} exited ${code}: ${output}`)));
    });
    for (;;) {
      const status = await getStatus(port, variant.healthPath).catch(() => 0);
      if (status === 200) break;
      if (performance.now() - t0 > 30_000) throw new Error(`${variant.label}: ${variant.healthPath} never answered 200`);
      await sleep(5);
    }
    const msToHealthy = performance.now() - t0;
    const cpuMsToHealthy = treeCpuSeconds(processTree(child.pid!)) * 1000;
    await sleep(1000);
    const tree = processTree(child.pid!);
    const server = listenerOf(tree, port) ?? child.pid!;
    const idle: StartRun = { msToHealthy, cpuMsToHealthy, idleRssBytes: memoryOf(server).rssBytes, treeRssBytes: treeRssBytes(tree) };
    if (breakdown) {
      const first = memoryBreakdown(server);
      await sleep(SETTLE_MS - 1000);
      return { ...idle, memory: { idle: first, settled: memoryBreakdown(server) } };
    }
    if (variant.loadPath === undefined) return idle;
    const status = await getStatus(port, variant.loadPath);
    if (status !== 200) throw new Error(`${variant.label}: ${variant.loadPath} answered ${status}`);
    await sleep(1000);
    return { ...idle, loadedRssBytes: memoryOf(server).rssBytes };
  } finally {
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, s);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    const killer = setTimeout(() => signal('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  }
}

/** `npm start` checks dist/ and builds it when stale: do that once before the series, so every spawn measures the warm start. */
function freshenDist(notes: string[]): boolean {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, ['scripts/start.mjs', '--help'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    notes.push(`npm start could not build dist/ (${result.stderr.trim().split('\n').at(-1)}): its rows are left out.`);
    return false;
  }
  const built = /building dist\/ \(([^)]*)\)/.exec(result.stderr);
  notes.push(
    built
      ? `dist/ was stale (${built[1]}): npm start built it before the series in ${fmt((performance.now() - t0) / 1000, 1)} s; the rows measure the warm start.`
      : `dist/ was fresh (built at ${statSync(join(REPO_ROOT, 'dist/cli.js')).mtime.toISOString()}); npm start ran it without building.`,
  );
  return true;
}

/** A folder with a package.json whose `npm start` runs the bare node:http server. */
function npmBaselineProject(workDir: string): string {
  const dir = mkdtempSync(join(workDir, 'startup-npm-'));
  const start = `node -e "${BASELINE_SCRIPT.replaceAll('"', '\\"')}"`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'npm-start-baseline', private: true, scripts: { start } }));
  return dir;
}

const BARE_NODE = 'baseline: node -e http.createServer(...)';
const SQLITE_BASELINE = 'baseline: the same after loading better-sqlite3 (idle RSS floor of the stack)';
const NPM_BASELINE = 'baseline: npm start running the bare server (npm’s own cost)';
const IDLE_RSS_GOAL_MIB = 50;
const ADMIN_LOAD_PATH = '/-/channels';
const HEALTHY_GOAL_MS = 500;

export async function runStartup(ctx: BenchContext, opts: StartupOptions): Promise<BenchReport> {
  const serveArgs = (rtmpPort: number) => ['--in-memory', '--http-port', '0', '--rtmp-port', String(rtmpPort)];
  const endpointLine = /OSS endpoint\s+http:\/\/[^:]+:(\d+)/;
  const notes: string[] = [];
  const variants: Variant[] = [];
  const npmStart = 'npm start (warm: dist/ fresh)';
  if (freshenDist(notes)) {
    variants.push({
      label: npmStart,
      command: process.platform === 'win32' ? 'npm.cmd' : 'npm',
      args: (rtmpPort) => ['start', '--', ...serveArgs(rtmpPort)],
      port: endpointLine,
      healthPath: '/-/health',
    });
  }
  const dist = join(REPO_ROOT, 'dist/cli.js');
  const distInMemory = 'node dist/cli.js serve --in-memory';
  const distDataDir = 'node dist/cli.js serve (data dir)';
  if (existsSync(dist)) {
    const dataDirRoot = mkdtempSync(join(ctx.workDir, 'startup-data-'));
    let runs = 0;
    variants.push(
      {
        label: distInMemory,
        args: (rtmpPort) => [dist, 'serve', ...serveArgs(rtmpPort)],
        port: endpointLine,
        healthPath: '/-/health',
        // The admin API and console (Fastify) load on the first /-/ request other than the health check.
        loadPath: ADMIN_LOAD_PATH,
      },
      {
        label: distDataDir,
        // The default config but for the ports and a fresh data directory per spawn (as a first `npm start` would have).
        args: (rtmpPort) => [
          dist,
          'serve',
          '--data-dir',
          join(dataDirRoot, String(runs++)),
          '--http-port',
          '0',
          '--rtmp-port',
          String(rtmpPort),
        ],
        port: endpointLine,
        healthPath: '/-/health',
      },
    );
  } else {
    notes.push('dist/cli.js is absent (npm start could not build it): the compiled rows are left out.');
  }
  variants.push(
    {
      // npm, then tsx's CLI, then the node it spawns with its loader: the process tree `npm start` was before it ran dist/.
      label: 'before: npx tsx src/cli.ts (what npm start ran)',
      command: process.platform === 'win32' ? 'npx.cmd' : 'npx',
      args: (rtmpPort) => ['--no-install', 'tsx', 'src/cli.ts', 'serve', ...serveArgs(rtmpPort)],
      port: endpointLine,
      healthPath: '/-/health',
    },
    {
      label: BARE_NODE,
      args: () => ['-e', BASELINE_SCRIPT],
      port: /port (\d+)/,
      healthPath: '/',
    },
    {
      label: SQLITE_BASELINE,
      args: () => ['-e', SQLITE_BASELINE_SCRIPT],
      port: /port (\d+)/,
      healthPath: '/',
    },
    {
      // npm's own cost in front of any `npm start`: a package whose start script is the bare server above.
      label: NPM_BASELINE,
      command: process.platform === 'win32' ? 'npm.cmd' : 'npm',
      args: () => ['start', '--silent'],
      cwd: npmBaselineProject(ctx.workDir),
      port: /port (\d+)/,
      healthPath: '/',
    },
  );

  const rows = [];
  const checks = [];
  let baselineMs = NaN;
  const noise = new MachineNoiseMeter(() => []);
  const runs: Record<string, StartRun[]> = {};
  // Interleaved rounds, so a burst of load elsewhere on the machine hits every variant alike.
  for (let i = 0; i < opts.repeats; i++) {
    for (const variant of variants) {
      ctx.progress(`startup: ${variant.label} (${i + 1}/${opts.repeats})`);
      (runs[variant.label] ??= []).push(await startOnce(variant));
    }
  }
  const machineBusy = noise.read();
  // Where idle memory is: the emulator against the stack's floor and a bare node, one spawn each, side by side (idle).
  const breakdownVariants = variants.filter((v) => [distInMemory, SQLITE_BASELINE, BARE_NODE].includes(v.label));
  ctx.progress(`startup: idle memory of ${breakdownVariants.length} servers, ${SETTLE_MS / 1000} s`);
  const breakdowns = await Promise.all(breakdownVariants.map(async (v) => ({ label: v.label, run: await startOnce(v, true) })));
  const memoryRows = breakdowns.flatMap(({ label, run }) =>
    (['idle', 'settled'] as const).map((when) => {
      const m = run.memory![when];
      return [
        label,
        when === 'idle' ? '1 s' : `${SETTLE_MS / 1000} s`,
        mib(m.rss),
        mib(m.anon),
        mib(m.file),
        mib(m.nodeBinary),
        mib(m.addons),
      ];
    }),
  );
  const medianOf = (label: string, pick: (r: StartRun) => number) => median(runs[label]!.map(pick));
  for (const variant of variants) {
    const times = runs[variant.label]!.map((r) => r.msToHealthy);
    const ms = median(times);
    if (variant.label === BARE_NODE) baselineMs = ms;
    rows.push([
      variant.label,
      fmt(ms, 0),
      `${fmt(Math.min(...times), 0)}–${fmt(Math.max(...times), 0)}`,
      fmt(
        medianOf(variant.label, (r) => r.cpuMsToHealthy),
        0,
      ),
      mib(medianOf(variant.label, (r) => r.idleRssBytes)),
      mib(medianOf(variant.label, (r) => r.treeRssBytes)),
    ]);
  }
  for (const row of rows) row.push(fmt(Number(row[1]) / baselineMs, 1));
  for (const label of [npmStart, distInMemory]) {
    if (!runs[label]) continue;
    const ms = medianOf(label, (r) => r.msToHealthy);
    checks.push({ target: `${label} healthy < ${HEALTHY_GOAL_MS} ms`, measured: `${fmt(ms, 0)} ms`, met: ms < HEALTHY_GOAL_MS });
  }
  const npmOwnMs = medianOf(NPM_BASELINE, (r) => r.msToHealthy) - baselineMs;
  notes.push(
    `npm's own cost in front of a server (npm start running the bare server, minus the bare server): ${fmt(npmOwnMs, 0)} ms; ` +
      `the floor of the stack's idle RSS (bare server + better-sqlite3): ${mib(medianOf(SQLITE_BASELINE, (r) => r.idleRssBytes))} MiB.`,
  );
  if (runs[distInMemory]) {
    notes.push(
      `${distInMemory}: RSS 1 s after its first admin request (GET ${ADMIN_LOAD_PATH}, which loads the admin app and console on Fastify): ${mib(medianOf(distInMemory, (r) => r.loadedRssBytes ?? NaN))} MiB.`,
    );
  }
  for (const label of [distDataDir, distInMemory]) {
    if (!runs[label]) continue;
    const rss = medianOf(label, (r) => r.idleRssBytes);
    checks.push({
      target: `idle RSS ≤ ${IDLE_RSS_GOAL_MIB} MiB (${label})`,
      measured: `${fmt(rss / 1024 / 1024, 1)} MiB`,
      met: rss <= IDLE_RSS_GOAL_MIB * 1024 * 1024,
    });
  }
  notes.push(
    `Idle memory: anonymous = heaps (V8's, malloc's, thread stacks); file-backed = pages of mapped files, mostly the node binary's code and data that the process has touched, and native addons (better-sqlite3). V8 returns part of the heap startup grew (its memory reducer) after some seconds of idleness: the ${SETTLE_MS / 1000} s row.`,
    `Time = spawn() to the first 200 of the health URL (the port is read from the process's stdout, then polled every 5 ms); CPU = user + system time of the process tree over that span. Idle RSS is the server process's, read from /proc 1 s after that; tree RSS adds npm and sh for npm start.`,
    `The machine (everything, our spawned processes included) was ${fmt(machineBusy, 0)} % of one core busy over the series.`,
  );
  return {
    name: 'startup',
    tables: [
      {
        title: `startup: median of ${opts.repeats} spawns each, interleaved`,
        columns: ['process', 'median ms to 200', 'min–max ms', 'CPU ms to 200', 'idle RSS MiB', 'tree RSS MiB', 'x baseline'],
        rows,
      },
      {
        title: 'idle memory: where the RSS is, 1 s and 15 s after healthy (one spawn each, run side by side)',
        columns: [
          'process',
          'after healthy',
          'RSS MiB',
          'anonymous MiB',
          'file-backed MiB',
          'of which the node binary MiB',
          'native addons MiB',
        ],
        rows: memoryRows,
      },
    ],
    checks,
    notes,
  };
}
