import { closeSync, read } from 'node:fs';
import { Readable } from 'node:stream';

/**
 * Read buffers of one size, used again once the bytes read into them have been handed to the socket. A fresh 1 MiB
 * buffer per GET (what a file ReadStream allocates, 64 KiB at a time) costs more than reading the file: page faults
 * on new memory, and V8's full collections driven by that much external memory.
 */
export class ReadSlabs {
  private readonly free: Buffer[] = [];
  private out = 0;
  private lastTakeMs = 0;
  private trimTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly size: number,
    /** Slabs out at once at most (the memory bound); readers beyond it read into small fresh buffers. */
    private readonly maxOut: number,
    /** Idle slabs kept for the next readers; more are left to the garbage collector. */
    private readonly maxIdle = maxOut,
    /** Idle slabs are all dropped once no reader took one for this long. */
    private readonly keepIdleMs = 10_000,
  ) {}

  /** A slab, or undefined when `maxOut` are out already. */
  take(): Buffer | undefined {
    if (this.out >= this.maxOut) return undefined;
    this.out++;
    this.lastTakeMs = performance.now();
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  /** A slab whose bytes nothing refers to any more: out no longer, and handed to the next reader. */
  give(slab: Buffer): void {
    this.out--;
    if (this.free.length >= this.maxIdle) return;
    this.free.push(slab);
    this.trimTimer ??= setTimeout(() => this.trim(), this.keepIdleMs).unref();
  }

  /**
   * A slab whose reader is gone while its last write may still hold it (a write on a closed response whose callback
   * never comes): out no longer, never reused; the garbage collector takes it.
   */
  abandon(): void {
    this.out--;
  }

  /** Idle slabs held now (tests). */
  get idle(): number {
    return this.free.length;
  }

  /** Slabs out now (tests). */
  get taken(): number {
    return this.out;
  }

  private trim(): void {
    this.trimTimer = undefined;
    const quietMs = performance.now() - this.lastTakeMs;
    if (quietMs >= this.keepIdleMs) this.free.length = 0;
    else this.trimTimer = setTimeout(() => this.trim(), this.keepIdleMs - quietMs).unref();
  }
}

/** What a reader beyond the slab bound reads at a time, into a fresh buffer (a file ReadStream's default). */
const UNPOOLED_CHUNK_BYTES = 64 * 1024;

/**
 * Where `writeTo` sends bytes: an `http.ServerResponse` (a Writable whose write callback runs once the chunk is handed
 * to the socket, or failed), plus its 'close' for a client that goes away.
 */
export interface ChunkSink {
  write(chunk: Buffer, callback: (err?: Error | null) => void): boolean;
  end(): unknown;
  once(event: 'close', listener: () => void): unknown;
  readonly destroyed: boolean;
}

/**
 * Bytes [start, end] of one file, from a descriptor opened by the caller (so an overwrite that unlinks the file
 * cannot take it away). Read as a stream it hands out fresh buffers, so a consumer may keep them (fault injection,
 * gzip). `writeTo` is the fast way to send it: one slab-sized read at a time into a reused slab, written, and the slab
 * read into again only after the socket took its bytes; one slab per reader at most, and past the pool's bound of
 * slabs out, 64 KiB fresh buffers as a file ReadStream would use.
 */
export class FileSpanStream extends Readable {
  private fd: number | undefined;
  private position: number;
  private remaining: number;
  /** A read is in flight in the thread pool: the descriptor is closed only after it. */
  private reading = false;
  private closeWhenRead = false;

  constructor(
    fd: number,
    start: number,
    end: number,
    private readonly slabs: ReadSlabs,
  ) {
    super({ highWaterMark: slabs.size });
    this.fd = fd;
    this.position = start;
    this.remaining = end - start + 1;
  }

  override _read(): void {
    if (this.remaining <= 0 || this.fd === undefined) return void this.push(null);
    const buffer = Buffer.allocUnsafeSlow(Math.min(this.remaining, this.slabs.size));
    this.readInto(buffer, (err, bytes) => {
      if (err) return void this.destroy(err);
      this.push(bytes);
      if (this.remaining === 0) this.push(null);
    });
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.closeFd();
    callback(err);
  }

  /**
   * Sends the span to `sink` and ends it. `onError` gets a failed read (`started`: whether bytes were already written,
   * so the answer can no longer be an error reply). The descriptor is closed at the end, on a read error and when the
   * sink closes first (the client went away). The slab goes back to the pool only when neither a read nor a write
   * holds it; one whose response closed during a write is abandoned (counted out no longer, never reused).
   */
  writeTo(sink: ChunkSink, onError: (err: Error, started: boolean) => void): void {
    /** The pooled slab this reader holds, if it got one (then it is read into and written again and again). */
    let slab: Buffer | undefined;
    let writing = false;
    let done = false;
    let closed = false;
    let started = false;
    const settle = (): void => {
      this.closeFd();
      // A read in flight still fills the slab (this.reading): settle again when it returns.
      if (slab === undefined || this.reading) return;
      if (!writing) this.slabs.give(slab);
      else if (closed || sink.destroyed) this.slabs.abandon();
      else return;
      slab = undefined;
    };
    sink.once('close', () => {
      done = true;
      closed = true;
      settle();
    });
    let first = true;
    const step = (): void => {
      if (sink.destroyed) done = true;
      if (done) return settle();
      if (this.remaining === 0) {
        done = true;
        settle();
        sink.end();
        return;
      }
      if (first) {
        first = false;
        slab = this.slabs.take();
      }
      this.readInto(slab ?? Buffer.allocUnsafeSlow(Math.min(this.remaining, UNPOOLED_CHUNK_BYTES)), (err, bytes) => {
        if (sink.destroyed) done = true;
        if (done) return settle();
        if (err) {
          done = true;
          settle();
          return onError(err, started);
        }
        started = true;
        writing = true;
        sink.write(bytes, (writeErr) => {
          // Handed to the socket (or failed): nothing refers to the slab's bytes any more.
          writing = false;
          if (writeErr) done = true;
          step();
        });
      });
    };
    step();
  }

  /** Reads the next min(remaining, buffer) bytes into `buffer`; a file shorter than the span is an error. */
  private readInto(buffer: Buffer, done: (err: Error | null, bytes: Buffer) => void): void {
    const length = Math.min(this.remaining, buffer.length);
    this.reading = true;
    read(this.fd!, buffer, 0, length, this.position, (err, bytesRead) => {
      this.reading = false;
      if (this.closeWhenRead) this.closeFd();
      if (err) return done(err, buffer);
      if (bytesRead === 0) return done(new Error('object file ended before its recorded size'), buffer);
      this.position += bytesRead;
      this.remaining -= bytesRead;
      done(null, buffer.subarray(0, bytesRead));
    });
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    if (this.reading) {
      this.closeWhenRead = true;
      return;
    }
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }
}
