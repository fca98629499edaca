// Bytes of immutable stored things (object files, inline objects) kept in memory, bounded in total size.

/** Least recently used bytes by file id, bounded in total size. */
export class BytesCache {
  private readonly entries = new Map<string, Buffer>();
  private total = 0;

  constructor(
    private readonly maxEntryBytes: number,
    private readonly maxTotalBytes: number,
  ) {}

  fits(size: number): boolean {
    return size <= this.maxEntryBytes;
  }

  get(file: string): Buffer | undefined {
    const bytes = this.entries.get(file);
    if (bytes) {
      // Most recently used last: eviction takes from the front.
      this.entries.delete(file);
      this.entries.set(file, bytes);
    }
    return bytes;
  }

  set(file: string, bytes: Buffer): void {
    if (!this.fits(bytes.length)) return;
    this.delete(file);
    this.entries.set(file, bytes);
    this.total += bytes.length;
    for (const [oldest, old] of this.entries) {
      if (this.total <= this.maxTotalBytes) break;
      this.entries.delete(oldest);
      this.total -= old.length;
    }
  }

  delete(file: string): void {
    const bytes = this.entries.get(file);
    if (!bytes) return;
    this.entries.delete(file);
    this.total -= bytes.length;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}
