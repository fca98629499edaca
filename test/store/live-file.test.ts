import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openDiskStore(): { store: Store; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'emu-live-file-'));
  dirs.push(dir);
  const store = Store.open({ inMemory: false, dataDir: dir });
  store.createBucket({ name: 'b', acl: 'private', storageClass: 'Standard', createdMs: 0 });
  return { store, dir };
}

/** Every stored file under objects/ (shard directories included). */
function storedFiles(dir: string): string[] {
  return readdirSync(join(dir, 'objects'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

const segment = (store: Store, file: ReturnType<Store['openLiveSegment']>, md5: Buffer, sequence: number) =>
  store.commitSegment(
    {
      publishId: store.openPublish('b', 'cam', 0, '127.0.0.1:1', 'playlist.m3u8'),
      bucket: 'b',
      channel: 'cam',
      key: `cam/${sequence}.ts`,
      sequence,
      startMs: sequence * 2000,
      durationMs: 2000,
      file,
      md5,
      contentType: 'video/MP2T',
    },
    { key: 'cam/playlist.m3u8', text: `#EXTM3U\n#EXTINF:2.000,\n${sequence}.ts\n`, contentType: 'application/x-mpegURL' },
    1_700_000_000_000,
  );

describe('live segment files (Store.openLiveSegment): written as the segment grows, recorded by commitSegment', () => {
  it('stores the appended pieces in order, tells each piece once it is written, and records the ETag given', async () => {
    const { store } = openDiskStore();
    try {
      const pieces = Array.from({ length: 12 }, (_, i) => Buffer.alloc(20_000 + i * 1000, i + 1));
      const file = store.openLiveSegment();
      const written: number[] = [];
      pieces.forEach((piece, i) => file.append(piece, () => written.push(i)));
      expect(file.size).toBe(pieces.reduce((n, p) => n + p.length, 0));
      const all = Buffer.concat(pieces);
      const md5 = createHash('md5').update(all).digest();
      await segment(store, file, md5, 0);
      expect(written).toEqual(pieces.map((_, i) => i));
      const row = store.getObject('b', 'cam/0.ts')!;
      expect(row.size).toBe(all.length);
      expect(row.etag).toBe(`"${md5.toString('hex').toUpperCase()}"`);
      expect(await buffer(store.openObject(row))).toEqual(all);
    } finally {
      await store.close();
    }
  });

  it('leaves no file behind when the segment is dropped, and a dropped file cannot be committed', async () => {
    const { store, dir } = openDiskStore();
    try {
      const before = storedFiles(dir).length;
      const file = store.openLiveSegment();
      let written = false;
      file.append(Buffer.alloc(50_000, 7), () => (written = true));
      file.abort();
      await expect(segment(store, file, Buffer.alloc(16), 1)).rejects.toThrow(/already finished or dropped/);
      // Dropping does not block the caller: wait for the queued write to settle and the file to go.
      for (let i = 0; i < 100 && !(written && storedFiles(dir).length === before); i++) await new Promise((r) => setTimeout(r, 20));
      expect(storedFiles(dir)).toHaveLength(before);
      expect(written).toBe(true); // the queued bytes were handed back
      expect(store.getObject('b', 'cam/1.ts')).toBeUndefined();
      expect(store.getObject('b', 'cam/playlist.m3u8')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
