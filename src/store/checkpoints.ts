import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from './database.js';
import type { ObjectFiles } from './object-files.js';

/** A checkpoint name: a path segment, nothing that could leave the checkpoints directory. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class CheckpointError extends Error {
  constructor(
    readonly kind: 'invalid-name' | 'not-found',
    message: string,
  ) {
    super(message);
  }
}

export interface CheckpointInfo {
  name: string;
  createdMs: number;
  files: number;
}

/**
 * Named checkpoints of the whole store under `<dir>/<name>/`: `db.sqlite` (VACUUM INTO: a consistent copy taken while
 * the emulator runs) and `files/` (hard links to the object files, which are never changed in place: no byte copied).
 */
export class Checkpoints {
  constructor(
    private readonly db: Db,
    private readonly files: ObjectFiles,
    private readonly dir: string,
  ) {}

  private pathOf(name: string): string {
    if (!NAME.test(name))
      throw new CheckpointError(
        'invalid-name',
        'a checkpoint name is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
      );
    return join(this.dir, name);
  }

  /** Throws CheckpointError unless a checkpoint of this name exists (restore checks before ending any publish). */
  assertExists(name: string): void {
    if (!existsSync(join(this.pathOf(name), 'db.sqlite'))) throw new CheckpointError('not-found', `no checkpoint named "${name}"`);
  }

  /** Saves (or replaces) a checkpoint. */
  save(name: string, nowMs: number): CheckpointInfo {
    const target = this.pathOf(name);
    const staging = join(this.dir, `.staging-${randomBytes(6).toString('hex')}`);
    mkdirSync(staging, { recursive: true });
    try {
      this.db.prepare('VACUUM INTO ?').run(join(staging, 'db.sqlite'));
      // Small objects' bytes are rows (object_blobs) and came along with the database.
      const files = this.files.linkAllInto(join(staging, 'files')) + inlineObjects(join(staging, 'db.sqlite'));
      rmSync(target, { recursive: true, force: true });
      renameSync(staging, target);
      return { name, createdMs: nowMs, files };
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * Makes every table hold what the checkpoint holds (one transaction, so readers never see a mix), then the object files:
   * missing ones linked back, unreferenced ones removed. Prepared statements stay valid: rows change, not the database.
   */
  restore(name: string, isReferenced: (file: string) => boolean): void {
    this.assertExists(name);
    const source = this.pathOf(name);
    this.db.prepare('ATTACH DATABASE ? AS checkpoint').run(join(source, 'db.sqlite'));
    try {
      const version = this.db.prepare('SELECT user_version FROM checkpoint.pragma_user_version').pluck().get() as number;
      const current = this.db.pragma('user_version', { simple: true }) as number;
      if (version !== current)
        throw new CheckpointError('not-found', `checkpoint "${name}" has schema version ${version}, this emulator ${current}`);
      const tables = (
        this.db.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]
      ).concat(this.db.prepare("SELECT name FROM main.sqlite_master WHERE name = 'sqlite_sequence'").pluck().all() as string[]);
      // The checkpoint was consistent when taken; checking keys table by table mid-copy would only trip on the order.
      this.db.pragma('foreign_keys = OFF');
      try {
        this.db.transaction(() => {
          for (const t of tables) {
            const q = `"${t.replaceAll('"', '""')}"`;
            this.db.exec(`DELETE FROM main.${q}; INSERT INTO main.${q} SELECT * FROM checkpoint.${q};`);
          }
        })();
      } finally {
        this.db.pragma('foreign_keys = ON');
      }
    } finally {
      this.db.exec('DETACH DATABASE checkpoint');
    }
    this.files.restoreFrom(join(source, 'files'), isReferenced);
  }

  list(): CheckpointInfo[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((n) => NAME.test(n) && existsSync(join(this.dir, n, 'db.sqlite')))
      .map((name) => ({
        name,
        createdMs: statSync(join(this.dir, name, 'db.sqlite')).mtimeMs,
        files: countFiles(join(this.dir, name, 'files')) + inlineObjects(join(this.dir, name, 'db.sqlite')),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  delete(name: string): boolean {
    const path = this.pathOf(name);
    if (!existsSync(path)) return false;
    rmSync(path, { recursive: true, force: true });
    return true;
  }
}

/** Objects whose bytes the checkpoint's database holds itself (object_blobs). */
function inlineObjects(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'object_blobs'").get();
    return table ? (db.prepare('SELECT count(*) FROM object_blobs').pluck().get() as number) : 0;
  } finally {
    db.close();
  }
}

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((n, shard) => n + readdirSync(join(dir, shard)).length, 0);
}
