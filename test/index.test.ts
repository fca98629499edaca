import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startEmulator } from '../src/index.js';
import { ossClient } from './helpers/emulator.js';

describe('programmatic API', () => {
  it('starts two isolated in-memory emulators on free ports in one process', async () => {
    const a = await startEmulator({ inMemory: true, httpPort: 0, rtmpPort: 0, logLevel: 'silent' });
    const b = await startEmulator({ inMemory: true, httpPort: 0, rtmpPort: 0, logLevel: 'silent' });
    try {
      expect(a.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.rtmpUrl).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+$/);
      expect(a.httpPort).not.toBe(b.httpPort);
      expect([a.accessKeyId, a.accessKeySecret]).toEqual([DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET]);
      await ossClient(a).putBucket('only-in-a');
      const inB = await ossClient(b).listBuckets({});
      expect((inB as unknown as { buckets: unknown[] | null }).buckets ?? []).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
    // close() released the ports: nothing answers there any more.
    await expect(fetch(`${a.endpoint}/-/health`)).rejects.toThrow();
  });
});
