import Database from 'better-sqlite3';
import { readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The lock file (an SQLite file held in an EXCLUSIVE transaction) and the informational pid file next to it. */
const LOCK_FILE = 'emulator.lock';
const PID_FILE = 'emulator.pid';

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly otherPid: number | undefined,
  ) {
    super(
      `data directory ${dataDir} is in use by another emulator (${otherPid !== undefined ? `process ${otherPid}` : 'process id unknown'}); ` +
        'stop it, or give this one another --data-dir (or --in-memory)',
    );
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  release(): void;
}

/**
 * An OS-level lock on a data directory for the life of the process: SQLite's EXCLUSIVE lock (POSIX fcntl / Windows
 * LockFileEx) on `emulator.lock`, taken with no wait. The kernel drops it when the process dies (kill -9 included), so
 * a stale lock is impossible; SQLite also refuses a second connection in the same process. Take it before anything
 * else touches the directory: a second emulator must not run its startup clean-up under a running one.
 */
export function lockDataDir(dir: string): DataDirLock {
  const db = new Database(join(dir, LOCK_FILE), { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY' || (err as { code?: string }).code === 'SQLITE_LOCKED') {
      throw new DataDirInUseError(dir, readPid(dir));
    }
    throw err;
  }
  writeFileSync(join(dir, PID_FILE), `${process.pid}\n`);
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      try {
        unlinkSync(join(dir, PID_FILE));
      } catch {
        // already gone
      }
      db.close();
    },
  };
}

function readPid(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, PID_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Temp dirs younger than this are left alone: their owner may not have taken its lock yet. */
const SWEEP_MIN_AGE_MS = 10_000;

/**
 * Removes `--in-memory` temp dirs (`<parent>/<prefix>*`) whose process is gone (killed with -9, so its exit clean-up
 * never ran): a dir whose lock can be taken has no living owner. Dirs without a lock file are not ours to judge.
 */
export function sweepDeadTempDirs(parent: string, prefix: string, nowMs: number): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(prefix));
  } catch {
    return removed;
  }
  for (const name of names) {
    const dir = join(parent, name);
    try {
      const lockStat = statSync(join(dir, LOCK_FILE));
      if (nowMs - lockStat.mtimeMs < SWEEP_MIN_AGE_MS) continue;
      const lock = lockDataDir(dir);
      lock.release();
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // alive (locked), not ours, or already gone
    }
  }
  return removed;
}
