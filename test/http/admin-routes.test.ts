import { describe, expect, it } from 'vitest';
import { startEmulator, startPublisher } from '../../src/index.js';
import { ossClient } from '../helpers/emulator.js';
import { FIXTURE_360P, createChannel, publishUrl } from '../helpers/live.js';

describe('admin endpoints', () => {
  it('reports health, lists channels with their live session, and resets all state', async () => {
    const emu = await startEmulator({ inMemory: true, httpPort: 0, rtmpPort: 0, logLevel: 'silent' });
    try {
      const health = await fetch(`${emu.endpoint}/-/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });

      await createChannel(emu, 'admin-bucket', 'cam');
      const pub = startPublisher({
        url: publishUrl(emu, 'admin-bucket', 'cam', { expiresIn: 600 }),
        flv: FIXTURE_360P,
        speed: 1,
        loop: true,
      });
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
      await expect(ossClient(emu, 'admin-bucket').getBucketInfo('admin-bucket')).rejects.toMatchObject({
        status: 404,
        code: 'NoSuchBucket',
      });
    } finally {
      await emu.close();
    }
  });
});
