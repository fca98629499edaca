import type { BucketConfigKind } from '../store/bucket-configs.js';
import type { Store } from '../store/store.js';

/** Largest configuration body accepted (PutBucketCors, PutBucketLifecycle, PutBucketPolicy, …). */
export const CONFIG_BODY_MAX_BYTES = 1024 * 1024;

/** A bucket's configuration document of one kind, as the operation that put it stored it (JSON). */
export function readBucketConfig<T>(store: Store, bucket: string, kind: BucketConfigKind): T | undefined {
  const doc = store.bucketConfigs.get(bucket, kind);
  return doc === undefined ? undefined : (JSON.parse(doc) as T);
}

export function writeBucketConfig<T>(store: Store, bucket: string, kind: BucketConfigKind, value: T): void {
  store.bucketConfigs.put(bucket, kind, JSON.stringify(value));
}
