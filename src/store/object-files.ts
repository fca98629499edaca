import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, unlinkSync, readdirSync, renameSync, fsyncSync, openSync, closeSync, writeSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';

export interface WrittenFile {
  /** Path relative to the objects root, as stored in SQLite. */
  file: string;
  size: number;
  md5: Buffer;
}

/**
 * Object bytes on disk. Files are named by random ids, never by object key, so no key can reach outside the
 * data directory; every write goes to tmp/ first and is renamed into place only when complete.
 */
export class ObjectFiles {
  private readonly root: string;
  private readonly tmp: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir, 'objects');
    this.tmp = resolve(dataDir, 'tmp');
    mkdirSync(this.root, { recursive: true });
    mkdirSync(this.tmp, { recursive: true });
  }

  /** Absolute path of a stored file; refuses anything that is not one of our ids. */
  path(file: string): string {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{32}$/.test(file)) throw new Error(`not an object file id: ${file}`);
    const full = join(this.root, file);
    if (!full.startsWith(this.root + sep)) throw new Error(`object file outside the data directory: ${file}`);
    return full;
  }

  private newId(): string {
    const id = randomBytes(16).toString('hex');
    return `${id.slice(0, 2)}/${id}`;
  }

  private place(tempPath: string, file: string): void {
    mkdirSync(join(this.root, file.slice(0, 2)), { recursive: true });
    renameSync(tempPath, this.path(file));
  }

  /** Writes a buffer (or several) durably under a new id. */
  writeBuffers(chunks: readonly Buffer[]): WrittenFile {
    const file = this.newId();
    const tempPath = join(this.tmp, file.slice(3));
    const hash = createHash('md5');
    let size = 0;
    const fd = openSync(tempPath, 'w');
    try {
      for (const chunk of chunks) {
        writeSync(fd, chunk);
        hash.update(chunk);
        size += chunk.length;
      }
      fsyncSync(fd);
    } catch (err) {
      closeSync(fd);
      rmSync(tempPath, { force: true });
      throw err;
    }
    closeSync(fd);
    this.place(tempPath, file);
    return { file, size, md5: hash.digest() };
  }

  /** Like writeBuffers, off the event loop: many live segments are written at once and must not stall the others. */
  async writeBuffersAsync(chunks: readonly Buffer[]): Promise<WrittenFile> {
    const file = this.newId();
    const tempPath = join(this.tmp, file.slice(3));
    const bytes = Buffer.concat(chunks);
    const handle = await open(tempPath, 'w');
    try {
      await handle.write(bytes);
      await handle.sync();
    } catch (err) {
      await handle.close();
      rmSync(tempPath, { force: true });
      throw err;
    }
    await handle.close();
    this.place(tempPath, file);
    return { file, size: bytes.length, md5: createHash('md5').update(bytes).digest() };
  }

  /** Streams a request body to disk; `maxBytes` guards against unbounded uploads. */
  async writeStream(body: Readable, maxBytes: number, onTooLarge: () => Error): Promise<WrittenFile> {
    const file = this.newId();
    const tempPath = join(this.tmp, file.slice(3));
    const hash = createHash('md5');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(onTooLarge());
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tempPath, { flush: true }));
    } catch (err) {
      rmSync(tempPath, { force: true });
      throw err;
    }
    this.place(tempPath, file);
    return { file, size, md5: hash.digest() };
  }

  remove(file: string): void {
    try {
      unlinkSync(this.path(file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  /** Startup repair: drops half-written temp files and files no row refers to (a crash between rename and commit). */
  sweep(isReferenced: (file: string) => boolean): { temps: number; orphans: number } {
    let temps = 0;
    let orphans = 0;
    for (const name of readdirSync(this.tmp)) {
      rmSync(join(this.tmp, name), { force: true, recursive: true });
      temps++;
    }
    for (const shard of readdirSync(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of readdirSync(join(this.root, shard))) {
        const file = `${shard}/${name}`;
        if (!/^[0-9a-f]{32}$/.test(name) || !isReferenced(file)) {
          rmSync(join(this.root, file), { force: true, recursive: true });
          orphans++;
        }
      }
    }
    return { temps, orphans };
  }

  /** Removes every stored byte (admin reset). */
  wipe(): void {
    rmSync(this.root, { recursive: true, force: true });
    rmSync(this.tmp, { recursive: true, force: true });
    mkdirSync(this.root, { recursive: true });
    mkdirSync(this.tmp, { recursive: true });
  }
}
