import type { Store } from '../../store/store.js';
import { expiryCutoff, ruleApplies, type LifecycleConfiguration } from './lifecycle-rules.js';

export interface LifecycleRun {
  /** Objects deleted by an Expiration action. */
  deleted: Array<{ bucket: string; key: string; rule: string }>;
  /** Multipart uploads aborted by an AbortMultipartUpload action. */
  abortedUploads: Array<{ bucket: string; key: string; uploadId: string; rule: string }>;
}

const PAGE = 500;

/**
 * Applies every bucket's enabled lifecycle rules at `nowMs` (the emulator clock): Expiration deletes objects (and
 * their bytes), AbortMultipartUpload aborts uploads. Transitions are stored only. OSS runs this once a day; the
 * emulator on a timer (--lifecycle-interval) and on POST /-/lifecycle/run.
 */
export function runLifecycle(store: Store, nowMs: number): LifecycleRun {
  const run: LifecycleRun = { deleted: [], abortedUploads: [] };
  for (const { bucket, doc } of store.bucketConfigs.ofKind('lifecycle')) {
    const config = JSON.parse(doc) as LifecycleConfiguration;
    for (const rule of config.rules) {
      if (rule.status !== 'Enabled') continue;
      const expiration = rule.expiration;
      if (expiration && expiration.expiredObjectDeleteMarker === undefined) {
        const cutoff = expiryCutoff(expiration, nowMs);
        if (cutoff !== undefined && (expiration.date === undefined || nowMs >= cutoff)) {
          let after = '';
          for (;;) {
            const page = store.objectsModifiedBefore(bucket, rule.prefix, cutoff, after, PAGE);
            for (const row of page) {
              if (ruleApplies(rule, row.key, row.tags) && store.deleteObject(bucket, row.key))
                run.deleted.push({ bucket, key: row.key, rule: rule.id });
            }
            if (page.length < PAGE) break;
            after = page[page.length - 1]!.key;
          }
        }
      }
      if (rule.abortMultipartUpload) {
        const cutoff = expiryCutoff(rule.abortMultipartUpload, nowMs)!;
        let keyMarker = '';
        let uploadIdMarker = '';
        for (;;) {
          const page = store.uploads.list({ bucket, prefix: rule.prefix, delimiter: '', keyMarker, uploadIdMarker, maxUploads: PAGE });
          for (const upload of page.uploads) {
            if (upload.initiatedMs < cutoff && ruleApplies(rule, upload.key, []) && store.uploads.abort(upload.uploadId)) {
              run.abortedUploads.push({ bucket, key: upload.key, uploadId: upload.uploadId, rule: rule.id });
            }
          }
          if (!page.isTruncated) break;
          keyMarker = page.nextKeyMarker;
          uploadIdMarker = page.nextUploadIdMarker;
        }
      }
    }
  }
  return run;
}
