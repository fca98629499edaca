// Bytes of immutable stored things (object files, inline objects) kept in memory, bounded in total size.

interface Entry {
  bytes: Buffer;
  /** Read since eviction last passed it (second chance). */
  used: boolean;
}

/**
 * Recently used bytes by file id, bounded in total size. Eviction is second-chance (CLOCK): a read only marks its
 * entry, and eviction moves marked entries to the back once instead of taking them. A read reordering the Map
 * (delete + set, as a strict LRU does) was the largest JavaScript item of a polled playlist GET, Map churn and its
 * garbage included.
 */
export class BytesCache {
  private readonly entries = new Map<string, Entry>();
  private total = 0;

  constructor(
    private readonly maxEntryBytes: number,
    private readonly maxTotalBytes: number,
  ) {}

  fits(size: number): boolean {
    return size <= this.maxEntryBytes;
  }

  get(file: string): Buffer | undefined {
    const entry = this.entries.get(file);
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.bytes;
  }

  set(file: string, bytes: Buffer): void {
    if (!this.fits(bytes.length)) return;
    this.delete(file);
    this.entries.set(file, { bytes, used: false });
    this.total += bytes.length;
    // Oldest first; an entry read since it was last passed goes to the back unmarked. Ends: each entry is moved once.
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.maxTotalBytes) break;
      this.entries.delete(oldest);
      if (entry.used && oldest !== file) {
        entry.used = false;
        this.entries.set(oldest, entry);
      } else {
        this.total -= entry.bytes.length;
      }
    }
  }

  delete(file: string): void {
    const entry = this.entries.get(file);
    if (!entry) return;
    this.entries.delete(file);
    this.total -= entry.bytes.length;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}
