import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  createWriteStream,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { constants as fsConstants } from 'node:fs';
import { copyFile, link, mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BytesCache } from './bytes-cache.js';
import { FileSpanStream, ReadSlabs } from './file-span-stream.js';
import { LiveFile } from './live-file.js';
import { Crc64 } from './crc64.js';

export interface WrittenFile {
  /** Path relative to the objects root, as stored in SQLite. */
  file: string;
  size: number;
  md5: Buffer;
  /** CRC-64/ECMA (decimal), computed as the bytes arrived; undefined where nobody asked for it (live segments). */
  crc64?: string;
}

/**
 * Object bytes on disk. Files are named by random ids, never by object key, so no key can reach outside the
 * data directory; every write goes to tmp/ first and is renamed into place only when complete.
 * `durable` (on disk, not in-memory mode) adds an fsync before the rename, so a committed row never points at
 * bytes a crash could lose.
 */
export class ObjectFiles {
  private readonly root: string;
  private readonly tmp: string;
  private readonly removing = new Set<Promise<void>>();
  /** Shard directories known to exist (made on first use: creating all 256 up front slows startup). */
  private readonly shards = new Set<string>();

  /** Bytes of small stored files, by id (files never change once placed): a GET of them opens no file. */
  private readonly kept: BytesCache;
  /** Read buffers for GETs of larger files: one per reader at a time, reused once the socket took their bytes. */
  private readonly readSlabs = new ReadSlabs(READ_SLAB_BYTES, MAX_READ_SLABS);

  constructor(
    dataDir: string,
    private readonly durable: boolean,
  ) {
    this.root = resolve(dataDir, 'objects');
    this.tmp = resolve(dataDir, 'tmp');
    // In memory nothing is on a disk worth the name anyway: keep more (segments, whole small videos).
    this.kept = durable ? new BytesCache(256 * 1024, 32 * 1024 * 1024) : new BytesCache(8 * 1024 * 1024, 256 * 1024 * 1024);
    this.createDirectories();
  }

  /**
   * A whole stored file's bytes from memory when it is small enough to keep (read once, then remembered); undefined
   * for larger files, which callers stream.
   */
  bytes(file: string, size: number): Buffer | undefined {
    if (!this.kept.fits(size)) return undefined;
    const known = this.kept.get(file);
    if (known) return known;
    const bytes = readFileSync(this.path(file));
    this.kept.set(file, bytes);
    return bytes;
  }

  /**
   * Bytes [start, end] of a stored file as a stream; the file is opened now, so an overwrite that unlinks it later
   * does not take it from this reader.
   */
  openSpan(file: string, start: number, end: number): FileSpanStream {
    return new FileSpanStream(openSync(this.path(file), 'r'), start, end, this.readSlabs);
  }

  /** Remembers the bytes of a file just written when they are tiny (playlists): its first GET reads nothing. */
  private keepWritten(file: string, chunks: readonly Buffer[], size: number): void {
    if (size <= KEEP_ON_WRITE_BYTES) this.kept.set(file, Buffer.concat(chunks, size));
  }

  private createDirectories(): void {
    mkdirSync(this.tmp, { recursive: true });
    mkdirSync(this.root, { recursive: true });
    this.shards.clear();
  }

  private shardOf(file: string): string | undefined {
    const shard = file.slice(0, 2);
    return this.shards.has(shard) ? undefined : shard;
  }

  /** Absolute path of a stored file; refuses anything that is not one of our ids. */
  path(file: string): string {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{32}$/.test(file)) throw new Error(`not an object file id: ${file}`);
    const full = join(this.root, file);
    if (!full.startsWith(this.root + sep)) throw new Error(`object file outside the data directory: ${file}`);
    return full;
  }

  private newId(): { file: string; tempPath: string } {
    const id = randomBytes(16).toString('hex');
    return { file: `${id.slice(0, 2)}/${id}`, tempPath: join(this.tmp, id) };
  }

  /** Writes buffers under a new id (synchronously: small objects on the request path). */
  writeBuffers(chunks: readonly Buffer[]): WrittenFile {
    const { file, tempPath } = this.newId();
    const hash = createHash('md5');
    const crc = new Crc64();
    let size = 0;
    const fd = openSync(tempPath, 'w');
    try {
      for (const chunk of chunks) {
        writeSync(fd, chunk);
        hash.update(chunk);
        crc.update(chunk);
        size += chunk.length;
      }
      if (this.durable) fsyncSync(fd);
    } catch (err) {
      closeSync(fd);
      rmSync(tempPath, { force: true });
      throw err;
    }
    closeSync(fd);
    const shard = this.shardOf(file);
    if (shard) {
      mkdirSync(join(this.root, shard), { recursive: true });
      this.shards.add(shard);
    }
    renameSync(tempPath, this.path(file));
    this.keepWritten(file, chunks, size);
    return { file, size, md5: hash.digest(), crc64: crc.digest() };
  }

  /**
   * Like writeBuffers, entirely off the event loop: many live segments are written at once and must not stall each
   * other. The caller passes the MD5 it computed while the bytes arrived.
   */
  async writeBuffersAsync(chunks: readonly Buffer[], md5: Buffer): Promise<WrittenFile> {
    const { file, tempPath } = this.newId();
    let size = 0;
    for (const chunk of chunks) size += chunk.length;
    const handle = await open(tempPath, 'w');
    try {
      let written = 0;
      let pending = chunks as Buffer[];
      // writev may write less than asked (signals, huge iovecs): continue from where it stopped.
      while (written < size) {
        const { bytesWritten } = await handle.writev(pending);
        written += bytesWritten;
        pending = remainder(pending, bytesWritten);
      }
      if (this.durable) await handle.sync();
    } catch (err) {
      await handle.close();
      await rm(tempPath, { force: true });
      throw err;
    }
    await handle.close();
    await this.place(tempPath, file);
    this.keepWritten(file, chunks, size);
    return { file, size, md5 };
  }

  /**
   * A live segment's file, written as the segment's bytes come (see LiveFile): created in place under its new id (no
   * row refers to it until the caller commits one, and a crash leaves an orphan that the next start sweeps, as for a
   * temp file), made durable (fdatasync, unless in-memory) when finished. Plain fd callbacks: the FileHandle promise
   * machinery cost more than the I/O here.
   */
  openLiveFile(): LiveFile {
    const id = randomBytes(16).toString('hex');
    const file = `${id.slice(0, 2)}/${id}`;
    const shard = this.shardOf(file);
    const path = this.path(file);
    const ready = shard
      ? mkdir(join(this.root, shard), { recursive: true }).then(() => {
          this.shards.add(shard);
          return path;
        })
      : Promise.resolve(path);
    return new LiveFile(file, ready, this.durable, (f) => this.remove(f));
  }

  /** Streams a request body to disk; `maxBytes` guards against unbounded uploads. */
  async writeStream(body: Readable, maxBytes: number, onTooLarge: () => Error): Promise<WrittenFile> {
    const { file, tempPath } = this.newId();
    const hash = createHash('md5');
    const crc = new Crc64();
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(onTooLarge());
        hash.update(chunk);
        crc.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tempPath, { flush: this.durable }));
    } catch (err) {
      await rm(tempPath, { force: true });
      throw err;
    }
    await this.place(tempPath, file);
    return { file, size, md5: hash.digest(), crc64: crc.digest() };
  }

  /**
   * A second stored file with the same bytes, without reading them: a hard link (the files are immutable once placed,
   * and removing one name leaves the other), else a kernel copy (reflink where the file system has it).
   */
  async clone(file: string): Promise<string> {
    const { file: copy, tempPath } = this.newId();
    try {
      await link(this.path(file), tempPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
      await copyFile(this.path(file), tempPath, fsConstants.COPYFILE_FICLONE);
      if (this.durable) {
        const handle = await open(tempPath, 'r+');
        await handle.sync().finally(() => handle.close());
      }
    }
    await this.place(tempPath, copy);
    return copy;
  }

  /** Moves a complete temp file into place: one rename, plus a mkdir the first time a shard is used. */
  private async place(tempPath: string, file: string): Promise<void> {
    const shard = this.shardOf(file);
    if (shard) {
      await mkdir(join(this.root, shard), { recursive: true });
      this.shards.add(shard);
    }
    await rename(tempPath, this.path(file));
  }

  /**
   * Removes a file no row refers to any more, without waiting: if it fails (or the process dies first), the file is
   * an orphan that the next start sweeps away.
   */
  remove(file: string): void {
    this.kept.delete(file);
    const pending = unlink(this.path(file)).catch(() => undefined);
    this.removing.add(pending);
    void pending.then(() => this.removing.delete(pending));
  }

  /** Resolves once every removal issued so far is done (a checkpoint restore must not race an unlink of a path it relinks). */
  async removalsSettled(): Promise<void> {
    await Promise.all([...this.removing]);
  }

  /** Startup repair: drops half-written temp files and files no row refers to (a crash between rename and commit). */
  sweep(isReferenced: (file: string) => boolean): { temps: number; orphans: number } {
    let temps = 0;
    let orphans = 0;
    for (const name of readdirSync(this.tmp)) {
      rmSync(join(this.tmp, name), { force: true, recursive: true });
      temps++;
    }
    orphans = this.sweepObjects(isReferenced).orphans;
    return { temps, orphans };
  }

  private sweepObjects(isReferenced: (file: string) => boolean): { orphans: number } {
    let orphans = 0;
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
    return { orphans };
  }

  /** Hard-links every stored file into dir (same layout): a checkpoint costs no byte copy. Files are never changed in place. */
  linkAllInto(dir: string): number {
    let n = 0;
    mkdirSync(dir, { recursive: true }); // even with no file at all: restore reads it
    for (const shard of readdirSync(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      mkdirSync(join(dir, shard), { recursive: true });
      for (const name of readdirSync(join(this.root, shard))) {
        if (!/^[0-9a-f]{32}$/.test(name)) continue;
        linkSync(join(this.root, shard, name), join(dir, shard, name));
        n++;
      }
    }
    return n;
  }

  /**
   * Makes the stored files those a checkpoint holds: links back what is missing, removes what the restored rows do not
   * reference. Returns how many files were linked back and removed.
   */
  restoreFrom(dir: string, isReferenced: (file: string) => boolean): { linked: number; removed: number } {
    let linked = 0;
    for (const shard of readdirSync(dir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      mkdirSync(join(this.root, shard), { recursive: true });
      this.shards.add(shard);
      for (const name of readdirSync(join(dir, shard))) {
        const target = join(this.root, shard, name);
        if (!/^[0-9a-f]{32}$/.test(name) || existsSync(target) || !isReferenced(`${shard}/${name}`)) continue;
        linkSync(join(dir, shard, name), target);
        linked++;
      }
    }
    const { orphans } = this.sweepObjects(isReferenced);
    this.kept.clear();
    return { linked, removed: orphans };
  }

  /** Removes every stored byte (admin reset). */
  wipe(): void {
    rmSync(this.root, { recursive: true, force: true });
    rmSync(this.tmp, { recursive: true, force: true });
    this.kept.clear();
    this.createDirectories();
  }
}

/** Files up to this size are remembered as they are written (a live playlist is a few hundred bytes). */
const KEEP_ON_WRITE_BYTES = 16 * 1024;
/**
 * A GET of a stored file reads at most this much per thread-pool round trip and holds at most one such slab at a time
 * (1 MiB: a segment-sized object is one read and one write; 256 KiB slabs measured ~1.5× the CPU per 1 MiB GET).
 */
const READ_SLAB_BYTES = 1024 * 1024;
/**
 * Read slabs out at once at most (64 MiB), idle ones included (kept for the next GETs, so 50 concurrent readers reuse
 * theirs; dropped after 10 s without a reader). GETs beyond it read 64 KiB at a time into fresh buffers.
 */
const MAX_READ_SLABS = 64;

/** The buffers left after the first `bytes` of them were written. */
function remainder(chunks: Buffer[], bytes: number): Buffer[] {
  let skip = bytes;
  let i = 0;
  while (i < chunks.length && skip >= chunks[i]!.length) skip -= chunks[i++]!.length;
  const rest = chunks.slice(i);
  if (rest.length > 0 && skip > 0) rest[0] = rest[0]!.subarray(skip);
  return rest;
}
