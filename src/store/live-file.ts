import { close, fdatasync, open as openFd, write } from 'node:fs';

/** What a live session holds: bytes go in as the segment grows; Store.commitSegment finishes it, abort() drops it. */
export interface LiveSegmentFile {
  /** Queues bytes for the file; they must not change before `written` runs (after they reached the file, or failed). */
  append(bytes: Buffer, written?: () => void): void;
  /** Bytes appended so far. */
  readonly size: number;
  /** Drops the file (a segment not to be committed); harmless after a commit or a failed one. */
  abort(): void;
}

/**
 * A live segment's file, written while the segment is still open (as nginx-rtmp writes its fragments): a publisher
 * holds only the bytes not written yet, not its whole segment. No row refers to the file until commitSegment records
 * it after finish() (fdatasync): a crash before leaves an orphan that the next start sweeps away.
 */
export class LiveFile implements LiveSegmentFile {
  private readonly fd: Promise<number>;
  /** The writes, one after another. */
  private tail: Promise<void>;
  private error: unknown;
  private appended = 0;
  private state: 'open' | 'finishing' | 'done' = 'open';

  constructor(
    /** The id the row will record. */
    readonly file: string,
    path: Promise<string>,
    private readonly durable: boolean,
    private readonly remove: (file: string) => void,
  ) {
    this.fd = path.then((p) => new Promise<number>((resolve, reject) => openFd(p, 'w', (err, fd) => (err ? reject(err) : resolve(fd)))));
    this.tail = this.fd.then(
      () => undefined,
      (err: unknown) => void (this.error ??= err),
    );
  }

  get size(): number {
    return this.appended;
  }

  append(bytes: Buffer, written?: () => void): void {
    this.appended += bytes.length;
    this.tail = this.tail.then(async () => {
      if (this.error === undefined && this.state !== 'done') {
        try {
          await writeAll(await this.fd, bytes);
        } catch (err) {
          this.error = err;
        }
      }
      written?.();
    });
  }

  /** Waits for every write, makes the file durable (on disk), closes it. On any error the file is removed. */
  async finish(): Promise<{ file: string; size: number }> {
    if (this.state !== 'open') throw new Error('live segment file already finished or dropped');
    this.state = 'finishing';
    await this.tail;
    try {
      const fd = await this.fd;
      try {
        if (this.error !== undefined) throw this.error;
        if (this.durable) await new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
      } finally {
        await new Promise<void>((resolve, reject) => close(fd, (err) => (err ? reject(err) : resolve())));
      }
    } catch (err) {
      this.state = 'done';
      this.remove(this.file);
      throw err;
    }
    this.state = 'done';
    return { file: this.file, size: this.appended };
  }

  abort(): void {
    if (this.state !== 'open') return;
    this.state = 'done';
    void this.tail.then(async () => {
      const fd = await this.fd.catch(() => undefined);
      if (fd !== undefined) await new Promise<void>((resolve) => close(fd, () => resolve()));
      this.remove(this.file);
    });
  }
}

async function writeAll(fd: number, bytes: Buffer): Promise<void> {
  // write may take less than asked (signals, a full disk on the way): continue from where it stopped.
  for (let at = 0; at < bytes.length;) {
    at += await new Promise<number>((resolve, reject) =>
      write(fd, bytes, at, bytes.length - at, null, (err, n) => (err ? reject(err) : resolve(n))),
    );
  }
}
