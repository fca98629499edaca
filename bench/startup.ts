// startup: spawn -> first 200 from the health URL, repeated; idle RSS of the process one second later.
// Baseline: a bare node:http server doing the same (spawn -> 200).
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT, type BenchContext } from './lib/bench-context.js';
import { median } from './lib/percentiles.js';
import { MachineNoiseMeter, memoryOf } from './lib/proc-stats.js';
import { fmt, mib, type BenchReport } from './lib/report.js';
import { sleep } from './lib/ts-child.js';

export interface StartupOptions {
  repeats: number;
}

interface Variant {
  label: string;
  args: (rtmpPort: number) => string[];
  /** Finds the listening HTTP port in the process's stdout. */
  port: RegExp;
  healthPath: string;
}

const BASELINE_SCRIPT =
  "const s=require('http').createServer((q,r)=>r.end('ok')).listen(0,'127.0.0.1',()=>console.log('port '+s.address().port))";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

async function startOnce(variant: Variant): Promise<{ msToHealthy: number; idleRssBytes: number }> {
  const rtmpPort = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, variant.args(rtmpPort), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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
    await sleep(1000);
    return { msToHealthy, idleRssBytes: memoryOf(child.pid!).rssBytes };
  } finally {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  }
}

export async function runStartup(ctx: BenchContext, opts: StartupOptions): Promise<BenchReport> {
  const emulatorArgs = (entry: string[]) => (rtmpPort: number) => [
    ...entry,
    'serve',
    '--in-memory',
    '--http-port',
    '0',
    '--rtmp-port',
    String(rtmpPort),
  ];
  const variants: Variant[] = [
    {
      label: 'node --import tsx src/cli.ts serve',
      args: emulatorArgs(['--import', 'tsx', 'src/cli.ts']),
      port: /OSS endpoint\s+http:\/\/[^:]+:(\d+)/,
      healthPath: '/-/health',
    },
  ];
  const dist = join(REPO_ROOT, 'dist/cli.js');
  const notes: string[] = [];
  if (existsSync(dist)) {
    variants.push({
      label: 'node dist/cli.js serve',
      args: emulatorArgs([dist]),
      port: /OSS endpoint\s+http:\/\/[^:]+:(\d+)/,
      healthPath: '/-/health',
    });
    notes.push(`dist/cli.js measured as built at ${statSync(dist).mtime.toISOString()} (run \`npm run build\` first to refresh it).`);
  } else {
    notes.push('dist/cli.js is absent: run `npm run build` first to include the compiled CLI.');
  }
  variants.push({
    label: 'baseline: node -e http.createServer(...)',
    args: () => ['-e', BASELINE_SCRIPT],
    port: /port (\d+)/,
    healthPath: '/',
  });

  const rows = [];
  const checks = [];
  let baselineMs = NaN;
  const noise = new MachineNoiseMeter(() => []);
  const runs: Record<string, Array<{ msToHealthy: number; idleRssBytes: number }>> = {};
  // Interleaved rounds, so a burst of load elsewhere on the machine hits every variant alike.
  for (let i = 0; i < opts.repeats; i++) {
    for (const variant of variants) {
      ctx.progress(`startup: ${variant.label} (${i + 1}/${opts.repeats})`);
      (runs[variant.label] ??= []).push(await startOnce(variant));
    }
  }
  const machineBusy = noise.read();
  for (const variant of variants) {
    const times = runs[variant.label]!.map((r) => r.msToHealthy);
    const ms = median(times);
    if (variant.label.startsWith('baseline')) baselineMs = ms;
    rows.push([
      variant.label,
      fmt(ms, 0),
      `${fmt(Math.min(...times), 0)}–${fmt(Math.max(...times), 0)}`,
      mib(median(runs[variant.label]!.map((r) => r.idleRssBytes))),
    ]);
    if (!variant.label.startsWith('baseline'))
      checks.push({ target: `${variant.label} healthy < 500 ms`, measured: `${fmt(ms, 0)} ms`, met: ms < 500 });
  }
  for (const row of rows) row.push(fmt(Number(row[1]) / baselineMs, 1));
  notes.push(
    `Time = spawn() to the first 200 of the health URL (the port is read from the process's stdout, then polled every 5 ms). Idle RSS is read from /proc 1 s after that.`,
    `The machine (everything, our spawned processes included) was ${fmt(machineBusy, 0)} % of one core busy over the series.`,
  );
  return {
    name: 'startup',
    tables: [
      {
        title: `startup: median of ${opts.repeats} spawns each, interleaved`,
        columns: ['process', 'median ms to 200', 'min–max ms', 'idle RSS MiB', 'x baseline'],
        rows,
      },
    ],
    checks,
    notes,
  };
}
