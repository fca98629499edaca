import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { Store, INLINE_MAX_BYTES } from '../../src/store/store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openDiskStore(): Store {
  const dir = mkdtempSync(join(tmpdir(), 'emu-group-commit-'));
  dirs.push(dir);
  return Store.open({ inMemory: false, dataDir: dir });
}

const put = (store: Store, key: string, body: Buffer) =>
  store.putObjectStream('b', key, Readable.from([body]), 1 << 30, () => new Error('too large'), {
    contentType: 'application/octet-stream',
    lastModifiedMs: 1_700_000_000_000,
  });

describe('PutObject group commit on disk', () => {
  it('answers no write before a WAL fsync that started after its commit, and shares one fsync among concurrent writes', async () => {
    const store = openDiskStore();
    try {
      store.createBucket({ name: 'b', acl: 'private', storageClass: 'Standard', createdMs: 0 });
      const events: string[] = [];
      store.onObjectChange = (change) => events.push(`commit:${change.kind === 'written' ? change.row.key : change.key}`);
      store.wal!.observer = (event) => events.push(event);
      const before = store.wal!.syncs;
      const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
      await Promise.all(keys.map((key) => put(store, key, Buffer.from(`bytes of ${key}`)).then(() => events.push(`ack:${key}`))));

      for (const key of keys) {
        const committed = events.indexOf(`commit:${key}`);
        const acked = events.indexOf(`ack:${key}`);
        const syncStart = events.indexOf('sync-start', committed);
        const syncDone = events.indexOf('sync-done', syncStart);
        expect(committed, key).toBeGreaterThanOrEqual(0);
        expect(syncStart, `${key}: an fsync starts after the commit`).toBeGreaterThan(committed);
        expect(syncDone, `${key}: that fsync finishes before the answer`).toBeGreaterThan(syncStart);
        expect(acked, `${key}: answered only after it`).toBeGreaterThan(syncDone);
      }
      // Group commit: far fewer fsyncs than writes.
      expect(store.wal!.syncs - before).toBeLessThanOrEqual(3);
      for (const key of keys) {
        const row = store.getObject('b', key)!;
        expect((await buffer(store.openObject(row))).toString()).toBe(`bytes of ${key}`);
      }
    } finally {
      await store.close();
    }
  });

  it('keeps small bodies inline and larger ones in files; both read back whole and in ranges, and survive a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-group-commit-'));
    dirs.push(dir);
    const small = Buffer.alloc(INLINE_MAX_BYTES, 7);
    const large = Buffer.alloc(INLINE_MAX_BYTES + 1, 9);
    let store = Store.open({ inMemory: false, dataDir: dir });
    store.createBucket({ name: 'b', acl: 'private', storageClass: 'Standard', createdMs: 0 });
    await put(store, 'small', small);
    await put(store, 'large', large);
    await store.close();
    store = Store.open({ inMemory: false, dataDir: dir });
    try {
      for (const [key, bytes] of [
        ['small', small],
        ['large', large],
      ] as const) {
        const row = store.getObject('b', key)!;
        expect(row.size).toBe(bytes.length);
        expect(Buffer.compare(await buffer(store.openObject(row)), bytes)).toBe(0);
        const body = store.objectBody(row, { start: 10, end: 19 });
        expect(Buffer.isBuffer(body) ? body : await buffer(body)).toEqual(bytes.subarray(10, 20));
      }
      // Overwrite and delete drop the inline bytes with the row.
      await put(store, 'small', Buffer.from('again'));
      expect((await buffer(store.openObject(store.getObject('b', 'small')!))).toString()).toBe('again');
      expect(store.deleteObject('b', 'small')).toBe(true);
      expect(store.getObject('b', 'small')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
