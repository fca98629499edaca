/**
 * Group commit for row work that arrives from many independent callers at once (live segments of many channels):
 * work queued in the same turn of the event loop runs in ONE SQLite transaction on the next check phase, then each
 * caller's promise settles. Files a unit replaced are removed after the transaction committed. If the shared
 * transaction throws, each unit is retried in a transaction of its own, so one bad unit fails only its caller.
 */
export class CommitBatch {
  private queue: Array<{ work: () => string[]; resolve: () => void; reject: (err: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly transaction: <T>(fn: () => T) => T,
    private readonly removeFiles: (files: readonly string[]) => void,
  ) {}

  /** `work` records rows (inside the shared transaction) and returns the files it replaced. */
  add(work: () => string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const units = this.queue;
    this.queue = [];
    let replaced: string[][];
    try {
      replaced = this.transaction(() => units.map((u) => u.work()));
    } catch {
      for (const unit of units) {
        try {
          this.removeFiles(this.transaction(unit.work));
          unit.resolve();
        } catch (err) {
          unit.reject(err);
        }
      }
      return;
    }
    for (const files of replaced) this.removeFiles(files);
    for (const unit of units) unit.resolve();
  }
}
