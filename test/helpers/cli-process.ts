import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Emulator } from '../../src/emulator.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../src/config.js';

export interface EmulatorProcess {
  process: ChildProcess;
  httpPort: number;
  /** Enough of an Emulator for ossClient() and publishUrl(): RTMP goes through the HTTP port. */
  remote: Emulator;
  /** Everything the process printed on stdout so far. */
  output(): string;
}

/** Starts the real CLI (`src/cli.ts serve`) in its own process, on a free HTTP port, RTMP through that port. */
export async function spawnEmulator(args: string[]): Promise<EmulatorProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--http-port', '0', '--rtmp-port', '0', ...args], {
    cwd: join(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const httpPort = await new Promise<number>((resolve, reject) => {
    const onData = () => {
      const m = /OSS endpoint\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        proc.stdout!.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`emulator exited early (${code}): ${out}`)));
  });
  const remote = {
    endpoint: `http://127.0.0.1:${httpPort}`,
    httpPort,
    rtmpPort: httpPort,
    accessKeyId: DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
  } as Emulator;
  return { process: proc, httpPort, remote, output: () => out };
}
