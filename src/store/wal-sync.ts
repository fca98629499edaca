import { open, type FileHandle } from 'node:fs/promises';

/**
 * Group commit for SQLite in WAL mode with `synchronous = NORMAL`: a commit is in the WAL file (it survives kill -9)
 * but not yet on the disk (a power loss could drop it). `sync()` resolves once every transaction committed before the
 * call is on the disk: one fsync of the WAL file, off the event loop, shared by every caller that asked while it was
 * pending. A checkpoint moves WAL pages into the database file and syncs that file before the WAL is reused, so a
 * synced WAL frame stays durable wherever it goes next.
 */
export class WalSync {
  private handle: FileHandle | undefined;
  /** The fsync in flight, if any. */
  private running: Promise<void> | undefined;
  /** The fsync that starts after the running one: callers arriving now may have committed after `running` began. */
  private queued: Promise<void> | undefined;
  /** fsyncs issued so far (the group-commit test reads it). */
  syncs = 0;
  /** Told when an fsync starts and when it is done (tests watch the ack-after-durable order). */
  observer: ((event: 'sync-start' | 'sync-done') => void) | undefined;

  constructor(private readonly walPath: string) {}

  sync(): Promise<void> {
    if (!this.running) return this.start();
    this.queued ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.queued]);
    await this.handle?.close();
    this.handle = undefined;
  }

  private startQueued(): Promise<void> {
    this.queued = undefined;
    return this.start();
  }

  private start(): Promise<void> {
    const done = this.fsync().finally(() => {
      if (this.running === done) this.running = undefined;
    });
    this.running = done;
    return done;
  }

  private async fsync(): Promise<void> {
    this.syncs++;
    this.observer?.('sync-start');
    // The WAL file appears with the first write and stays (same inode) until the database is closed.
    this.handle ??= await open(this.walPath, 'r');
    await this.handle.sync();
    this.observer?.('sync-done');
  }
}
