import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startEmulator, startPublisher } from '../../src/index.js';
import { ossClient } from '../helpers/emulator.js';
import { FIXTURE_360P, createChannel, publishUrl } from '../helpers/live.js';

describe('programmatic API and admin endpoints', () => {
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

  it('reports health, lists channels with their live session, and resets all state', async () => {
    const emu = await startEmulator({ inMemory: true, httpPort: 0, rtmpPort: 0, logLevel: 'silent' });
    try {
      const health = await fetch(`${emu.endpoint}/-/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });

      await createChannel(emu, 'admin-bucket', 'cam');
      const pub = startPublisher({ url: publishUrl(emu, 'admin-bucket', 'cam', { expiresIn: 600 }), flv: FIXTURE_360P, speed: 1, loop: true });
      const ended = pub.done.then(
        () => 'ended',
        () => 'dropped',
      );
      await pub.started;
      const channels = (await (await fetch(`${emu.endpoint}/-/channels`)).json()) as { channels: Array<Record<string, unknown>> };
      expect(channels.channels).toHaveLength(1);
      expect(channels.channels[0]).toMatchObject({ bucket: 'admin-bucket', name: 'cam', status: 'enabled' });
      expect((channels.channels[0]!.live as Record<string, unknown>).remoteAddr).toMatch(/^127\.0\.0\.1:\d+$/);

      const reset = await fetch(`${emu.endpoint}/-/reset`, { method: 'POST' });
      expect(reset.status).toBe(200);
      await ended; // the publisher was disconnected
      const after = (await (await fetch(`${emu.endpoint}/-/channels`)).json()) as { channels: unknown[] };
      expect(after.channels).toEqual([]);
      await expect(ossClient(emu, 'admin-bucket').getBucketInfo('admin-bucket')).rejects.toMatchObject({ status: 404, code: 'NoSuchBucket' });
    } finally {
      await emu.close();
    }
  });
});
