import type { FastifyInstance } from 'fastify';
import type { Services } from '../oss/operation.js';

/** Admin API under `/-/`: no bucket can be named `-`, so these never clash with OSS paths. Not signed. */
export function registerAdminRoutes(app: FastifyInstance, services: Services, reset: () => Promise<void>): void {
  const { store, live, clock } = services;
  const startedMs = clock.now();

  app.get('/-/health', async () => ({ status: 'ok', uptimeMs: clock.now() - startedMs, livePublishes: live.all().length }));

  app.post('/-/reset', async () => {
    await reset();
    return { status: 'reset' };
  });

  app.get('/-/channels', async () => ({
    channels: store.allChannels().map((c) => {
      const publish = live.get(c.bucket, c.name);
      const stat = publish?.stat();
      return {
        bucket: c.bucket,
        name: c.name,
        status: c.status,
        playlistName: c.playlistName,
        fragDuration: c.fragDuration,
        fragCount: c.fragCount,
        live: stat
          ? { connectedTime: new Date(stat.connectedMs).toISOString(), remoteAddr: stat.remoteAddr, video: stat.video ?? null, audio: stat.audio ?? null }
          : null,
      };
    }),
  }));
}
