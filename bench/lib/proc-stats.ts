// What the kernel says about another process: CPU time, memory, descriptors, and TCP states on our ports.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** USER_HZ (100 on Linux in practice; asked once so we never assume). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU seconds the process has used so far (all its threads), from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // The command name may contain spaces and parentheses: fields are counted from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicksPerSecond();
}

/** A `Name:   123 kB` line of /proc/<pid>/status, in bytes (NaN when absent). */
function statusBytes(status: string, name: string): number {
  return Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
}

/** VmRSS and VmHWM (peak RSS) in bytes, from /proc/<pid>/status. */
export function memoryOf(pid: number): { rssBytes: number; peakRssBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const kb = (name: string): number => statusBytes(status, name);
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

/**
 * Where a process's resident memory is, from /proc/<pid>/status and /proc/<pid>/smaps (bytes): anonymous (heaps: V8's,
 * malloc's) against file-backed pages, and of those the pages of the node binary itself and of native addons (`.node`).
 */
export function memoryBreakdown(pid: number): { rss: number; anon: number; file: number; nodeBinary: number; addons: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const kb = (name: string): number => statusBytes(status, name);
  const exe = readlinkSync(`/proc/${pid}/exe`);
  let nodeBinary = 0;
  let addons = 0;
  let mapping = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'latin1').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      mapping = header[1] ?? '';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (!rss) continue;
    if (mapping === exe) nodeBinary += Number(rss[1]) * 1024;
    else if (mapping.endsWith('.node')) addons += Number(rss[1]) * 1024;
  }
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile'), nodeBinary, addons };
}

/** Open file descriptors of the process. */
export function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** What the open descriptors are: 'socket', 'pipe', 'anon_inode', or 'file' (anything with a path). */
export function fdKinds(pid: number): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let kind = 'gone';
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      kind = /^(socket|pipe|anon_inode):/.exec(target)?.[1] ?? 'file';
    } catch {
      // closed between readdir and readlink
    }
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
};

/** Server-side TCP sockets whose local port is one of `ports`, counted by state (from /proc/net/tcp and tcp6). */
export function tcpStatesOnPorts(ports: readonly number[]): Record<string, number> {
  const wanted = new Set(ports.map((p) => p.toString(16).toUpperCase().padStart(4, '0')));
  const counts: Record<string, number> = {};
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4) continue;
      const localPort = cols[1]!.split(':')[1]!;
      if (!wanted.has(localPort)) continue;
      const state = TCP_STATES[cols[3]!] ?? cols[3]!;
      if (state === 'LISTEN') continue;
      counts[state] = (counts[state] ?? 0) + 1;
    }
  }
  return counts;
}

/** CPU and wall time between two readings, as a percentage of one core. */
export class CpuMeter {
  private cpu0: number;
  private wall0: number;
  constructor(private readonly pid: number) {
    this.cpu0 = cpuSeconds(pid);
    this.wall0 = performance.now();
  }
  /** Restarts the window now. */
  reset(): void {
    this.cpu0 = cpuSeconds(this.pid);
    this.wall0 = performance.now();
  }
  /** { percentOfOneCore, cpuSeconds, wallSeconds } since construction or the last reset(). */
  read(): { percentOfOneCore: number; cpuSeconds: number; wallSeconds: number } {
    const cpu = cpuSeconds(this.pid) - this.cpu0;
    const wall = (performance.now() - this.wall0) / 1000;
    return { percentOfOneCore: wall > 0 ? (100 * cpu) / wall : 0, cpuSeconds: cpu, wallSeconds: wall };
  }
}

/** Busy CPU seconds of the whole machine (all cores), from the first line of /proc/stat. */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / clockTicksPerSecond();
}

/** Microseconds some task waited for the resource (Linux PSI, /proc/pressure/<cpu|io>); undefined without PSI. */
export function pressureStallMicros(resource: 'cpu' | 'io'): number | undefined {
  try {
    const m = /^some .*total=(\d+)/m.exec(readFileSync(`/proc/pressure/${resource}`, 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export interface MachineNoise {
  /** CPU used by processes other than ours, % of one core. */
  otherCpu: number;
  /** Share of the window in which some runnable task waited for a CPU (PSI), %. */
  cpuPressure: number | undefined;
  /** Share of the window in which some task waited for I/O (PSI), %. */
  ioPressure: number | undefined;
}

/**
 * CPU used by everything except the processes we measure: other engineers' builds and tests share this machine, and a
 * benchmark window in which they ran is not a clean one. `ours` is read at the start and end of the window.
 */
export class MachineNoiseMeter {
  private busy0 = machineBusySeconds();
  private ours0: number;
  private wall0 = performance.now();
  private cpuStall0 = pressureStallMicros('cpu');
  private ioStall0 = pressureStallMicros('io');
  constructor(private readonly ourPids: () => number[]) {
    this.ours0 = this.ourCpu();
  }
  reset(): void {
    this.busy0 = machineBusySeconds();
    this.ours0 = this.ourCpu();
    this.wall0 = performance.now();
    this.cpuStall0 = pressureStallMicros('cpu');
    this.ioStall0 = pressureStallMicros('io');
  }
  /** Other processes' CPU over the window, % of one core. */
  read(): number {
    return this.readAll().otherCpu;
  }
  readAll(): MachineNoise {
    const wall = (performance.now() - this.wall0) / 1000;
    const other = machineBusySeconds() - this.busy0 - (this.ourCpu() - this.ours0);
    const stall = (now: number | undefined, then: number | undefined) =>
      now === undefined || then === undefined || wall <= 0 ? undefined : (100 * (now - then)) / 1e6 / wall;
    return {
      otherCpu: wall > 0 ? Math.max(0, (100 * other) / wall) : 0,
      cpuPressure: stall(pressureStallMicros('cpu'), this.cpuStall0),
      ioPressure: stall(pressureStallMicros('io'), this.ioStall0),
    };
  }
  private ourCpu(): number {
    let total = process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;
    for (const pid of this.ourPids()) {
      try {
        total += cpuSeconds(pid);
      } catch {
        // exited
      }
    }
    return total;
  }
}

/** `pid` and its descendants (by scanning /proc/<n>/stat for parent ids); processes that vanish mid-scan are skipped. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'latin1');
    } catch {
      continue;
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid);
    if (list) list.push(Number(name));
    else children.set(ppid, [Number(name)]);
  }
  const out: number[] = [];
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...(children.get(p) ?? []));
  }
  return out;
}

/** User + system CPU seconds of a process tree (processes that exited are no longer counted: read it while it runs). */
export function treeCpuSeconds(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuSeconds(pid);
    } catch {
      // exited
    }
  }
  return total;
}

/** Sum of VmRSS over a process tree, bytes (shared pages count once per process, as `ps` would). */
export function treeRssBytes(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += memoryOf(pid).rssBytes;
    } catch {
      // exited
    }
  }
  return total;
}

/** CpuMeter over a process and its descendants (the tree is looked up once, at construction: e.g. nginx master + worker). */
export class TreeCpuMeter {
  readonly pids: number[];
  private cpu0: number;
  private wall0 = performance.now();
  constructor(root: number) {
    this.pids = processTree(root);
    this.cpu0 = treeCpuSeconds(this.pids);
  }
  read(): { percentOfOneCore: number; cpuSeconds: number; wallSeconds: number } {
    const cpu = treeCpuSeconds(this.pids) - this.cpu0;
    const wall = (performance.now() - this.wall0) / 1000;
    return { percentOfOneCore: wall > 0 ? (100 * cpu) / wall : 0, cpuSeconds: cpu, wallSeconds: wall };
  }
}
