import type { Db } from './database.js';

/** The bucket-level configuration documents OSS keeps per bucket, one document per kind. */
export type BucketConfigKind = 'cors' | 'referer' | 'lifecycle' | 'tagging' | 'encryption' | 'policy' | 'logging' | 'website';

/**
 * Bucket configuration documents (`bucket_configs`): opaque text (JSON or XML) per bucket and kind. What a document
 * means (validation, defaults, enforcement) is decided in oss/, not here.
 */
export class BucketConfigs {
  private readonly q;
  /**
   * Committed documents as last read (null = none): an anonymous GET checks the referer rules, a browser's the CORS
   * rules, on every request. Every write through this class forgets what it touches.
   */
  private readonly known = new Map<string, string | null>();

  constructor(private readonly db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.q = {
      get: p('SELECT doc FROM bucket_configs WHERE bucket = ? AND kind = ?'),
      put: p(`INSERT INTO bucket_configs (bucket, kind, doc) VALUES (?, ?, ?)
              ON CONFLICT (bucket, kind) DO UPDATE SET doc = excluded.doc`),
      delete: p('DELETE FROM bucket_configs WHERE bucket = ? AND kind = ?'),
      deleteBucket: p('DELETE FROM bucket_configs WHERE bucket = ?'),
      ofKind: p('SELECT bucket, doc FROM bucket_configs WHERE kind = ? ORDER BY bucket'),
      all: p('DELETE FROM bucket_configs'),
    };
  }

  get(bucket: string, kind: BucketConfigKind): string | undefined {
    const id = `${bucket}/${kind}`;
    const cached = this.known.get(id);
    if (cached !== undefined) return cached ?? undefined;
    const doc = (this.q.get.get(bucket, kind) as { doc: string } | undefined)?.doc;
    // Inside a transaction the document may not be committed yet: remember only what is.
    if (!this.db.inTransaction) {
      if (this.known.size >= 10_000) this.known.clear();
      this.known.set(id, doc ?? null);
    }
    return doc;
  }

  put(bucket: string, kind: BucketConfigKind, doc: string): void {
    this.known.delete(`${bucket}/${kind}`);
    this.q.put.run(bucket, kind, doc);
  }

  /** False when the bucket had no document of that kind. */
  delete(bucket: string, kind: BucketConfigKind): boolean {
    this.known.delete(`${bucket}/${kind}`);
    return this.q.delete.run(bucket, kind).changes === 1;
  }

  /** Forgets every remembered document (the tables were rewritten underneath: a checkpoint restore). */
  forgetAll(): void {
    this.known.clear();
  }

  /** Every bucket's document of one kind (the lifecycle runner walks them all). */
  ofKind(kind: BucketConfigKind): Array<{ bucket: string; doc: string }> {
    return this.q.ofKind.all(kind) as Array<{ bucket: string; doc: string }>;
  }

  /** A deleted bucket takes its configuration with it (a bucket created again under that name starts clean). */
  deleteBucket(bucket: string): void {
    this.known.clear();
    this.q.deleteBucket.run(bucket);
  }

  reset(): void {
    this.known.clear();
    this.q.all.run();
  }
}
