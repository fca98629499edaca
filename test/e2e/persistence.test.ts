import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ossClient, startTestEmulator } from '../helpers/emulator.js';
import { signedRequest } from '../helpers/signed-request.js';

const dataDir = mkdtempSync(join(tmpdir(), 'emu-persist-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('state on disk', () => {
  it('keeps buckets and objects across a restart on the same data directory', async () => {
    const first = await startTestEmulator({ inMemory: false, dataDir });
    await ossClient(first).putBucket('persisted');
    await ossClient(first, 'persisted').put('kept/object.bin', Buffer.from('survives restarts'));
    await first.close();
    expect(existsSync(join(dataDir, 'emulator.sqlite'))).toBe(true);

    const second = await startTestEmulator({ inMemory: false, dataDir });
    try {
      const got = await ossClient(second, 'persisted').get('kept/object.bin');
      expect((got.content as Buffer).toString()).toBe('survives restarts');
      const buckets = (await ossClient(second).listBuckets({})) as unknown as { buckets: Array<{ name: string }> };
      expect(buckets.buckets.map((b) => b.name)).toEqual(['persisted']);
    } finally {
      await second.close();
    }
  });

  it('contains hostile keys: ../ and %2e%2e/ stay object names inside the data directory', async () => {
    const emu = await startTestEmulator({ inMemory: false, dataDir });
    try {
      const client = ossClient(emu, 'persisted');
      // Sent byte for byte: HTTP clients would normalise these paths away before they reached us.
      const put = await signedRequest(emu, {
        method: 'PUT',
        bucket: 'persisted',
        key: '../escape.txt',
        rawKey: '../escape.txt',
        body: 'contained',
      });
      expect(put.status).toBe(200);
      const dotted = await signedRequest(emu, {
        method: 'GET',
        bucket: 'persisted',
        key: '../../etc/passwd',
        rawKey: '%2e%2e/%2e%2e/etc/passwd',
      });
      expect(dotted.status).toBe(404);
      expect(dotted.text).toContain('<Code>NoSuchKey</Code>');
      const back = await signedRequest(emu, { method: 'GET', bucket: 'persisted', key: '../escape.txt', rawKey: '../escape.txt' });
      expect(back.text).toBe('contained');
      expect(existsSync(join(dataDir, '..', 'escape.txt'))).toBe(false);
      expect(existsSync(join(dataDir, 'escape.txt'))).toBe(false);
      // Bytes live only under objects/<2 hex>/<32 hex>, never under a name taken from a key.
      for (const shard of readdirSync(join(dataDir, 'objects'))) {
        expect(shard).toMatch(/^[0-9a-f]{2}$/);
        for (const file of readdirSync(join(dataDir, 'objects', shard))) expect(file).toMatch(/^[0-9a-f]{32}$/);
      }
      const listed = await client.list({ prefix: '../' } as never, {});
      expect(listed.objects.map((o) => o.name)).toEqual(['../escape.txt']);
    } finally {
      await emu.close();
    }
  });
});
