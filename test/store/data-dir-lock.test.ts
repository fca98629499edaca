// Issue 14 items 4 and 14: one emulator per data directory (an OS-level lock, stale-safe after kill -9), and temp
// dirs of dead --in-memory emulators swept at startup. Real processes of the real CLI.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator.js';
import { DataDirInUseError } from '../../src/store/data-dir-lock.js';
import { TEMP_DIR_PREFIX } from '../../src/store/store.js';
import { spawnEmulator } from '../helpers/cli-process.js';
import { ossClient } from '../helpers/emulator.js';

const scratch = mkdtempSync(join(tmpdir(), 'emu-lock-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the CLI to completion (it is expected to refuse to start). */
function runCli(args: string[], timeoutMs = 90_000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--http-port', '0', '--rtmp-port', '0', ...args], {
      cwd: join(import.meta.dirname, '../..'),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`the second emulator did not exit: ${stderr}`));
    }, timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

const exited = (proc: { once(e: 'exit', f: () => void): unknown; exitCode: number | null; signalCode: string | null }) =>
  new Promise<void>((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));

describe('data directory lock', () => {
  it('a second emulator on the same directory exits with a message naming the first, before touching anything', async () => {
    const dataDir = join(scratch, 'shared');
    const first = await spawnEmulator(['--data-dir', dataDir]);
    try {
      await ossClient(first.remote).putBucket('kept');
      // What an upload in flight looks like on disk: the second process's start-up clean-up used to delete it.
      const inFlight = join(dataDir, 'tmp', 'upload-in-flight');
      writeFileSync(inFlight, 'partial');
      const second = await runCli(['--data-dir', dataDir]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`process ${first.process.pid}`);
      expect(second.stderr).toContain(dataDir);
      expect(existsSync(inFlight)).toBe(true);
      const info = await ossClient(first.remote).getBucketInfo('kept');
      expect(info.bucket.Name).toBe('kept');
    } finally {
      first.process.kill('SIGKILL');
      await exited(first.process);
    }
    // kill -9 left no stale lock: the kernel released it with the process.
    const next = await spawnEmulator(['--data-dir', dataDir]);
    try {
      const info = await ossClient(next.remote).getBucketInfo('kept');
      expect(info.bucket.Name).toBe('kept');
    } finally {
      next.process.kill('SIGTERM');
      await exited(next.process);
    }
  }, 240_000);

  it('two emulators in one process on one directory: the second is refused, and can start after the first closes', async () => {
    const dataDir = join(scratch, 'in-process');
    const a = await startEmulator({ dataDir, httpPort: 0, rtmpPort: 0, logLevel: 'silent' });
    try {
      await expect(startEmulator({ dataDir, httpPort: 0, rtmpPort: 0, logLevel: 'silent' })).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      await a.close();
    }
    const b = await startEmulator({ dataDir, httpPort: 0, rtmpPort: 0, logLevel: 'silent' });
    await b.close();
  });
});

describe('--in-memory temp directories', () => {
  it('are swept at startup when their process died (kill -9), never while it runs', async () => {
    const doomed = await spawnEmulator(['--in-memory']);
    const alive = await spawnEmulator(['--in-memory']);
    // Each temp dir names its owner in emulator.pid (other test runs on this machine have theirs too).
    const dirOf = (pid: number | undefined): string => {
      for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(TEMP_DIR_PREFIX))) {
        try {
          if (readFileSync(join(tmpdir(), name, 'emulator.pid'), 'utf8').trim() === String(pid)) return join(tmpdir(), name);
        } catch {
          // no pid file
        }
      }
      throw new Error(`no temp dir for process ${pid}`);
    };
    const doomedDir = dirOf(doomed.process.pid);
    const aliveDir = dirOf(alive.process.pid);
    doomed.process.kill('SIGKILL');
    await exited(doomed.process);
    // Both look old enough to be judged (the sweep leaves dirs younger than 10 s alone).
    const old = new Date(Date.now() - 60_000);
    for (const dir of [doomedDir, aliveDir]) utimesSync(join(dir, 'emulator.lock'), old, old);
    // A foreign directory with our prefix but no lock is not ours to judge.
    const foreign = join(tmpdir(), `${TEMP_DIR_PREFIX}foreign-${process.pid}`);
    mkdirSync(foreign, { recursive: true });
    try {
      expect(existsSync(doomedDir)).toBe(true);
      const emu = await startEmulator({ inMemory: true, httpPort: 0, rtmpPort: 0, logLevel: 'silent' });
      await emu.close();
      expect(existsSync(doomedDir)).toBe(false);
      expect(existsSync(aliveDir)).toBe(true);
      expect(existsSync(foreign)).toBe(true);
      await ossClient(alive.remote).putBucket('still-works'); // the living one is untouched
    } finally {
      rmSync(foreign, { recursive: true, force: true });
      alive.process.kill('SIGTERM');
      await exited(alive.process);
    }
  }, 240_000);
});
