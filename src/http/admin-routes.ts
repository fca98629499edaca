import type { FastifyInstance } from 'fastify';
import type { Credential } from '../auth/credentials.js';
import type { EventBus } from '../events/event-bus.js';
import { plainObjectUrl, signedPlaylistUrl } from '../oss/live-channel/signed-play-url.js';
import { runLifecycle } from '../oss/lifecycle/lifecycle-runner.js';
import type { LivePublishes } from '../oss/live-publishes.js';
import type { ControlledClock } from '../shared/clock.js';
import type { Store } from '../store/store.js';

/** What the admin API reads: channels from the store, who is live, the time, the credentials that sign play URLs. */
export interface AdminServices {
  store: Store;
  clock: ControlledClock;
  live: LivePublishes;
  config: { credentials: readonly Credential[] };
  events: EventBus;
}

/** How long the signed play URLs the admin API hands out stay valid. */
const ADMIN_PLAY_URL_TTL_SEC = 6 * 3600;

/** Admin API under `/-/`: no bucket can be named `-`, so these never clash with OSS paths. Not signed. */
export function registerAdminRoutes(app: FastifyInstance, services: AdminServices, reset: () => Promise<void>): void {
  const { store, live, clock } = services;
  // GET /-/health is answered by the HTTP server itself (health-check.ts).

  app.post('/-/reset', async () => {
    await reset();
    return { status: 'reset' };
  });

  // Bucket lifecycle rules applied now, at the emulator clock's time (they also run every --lifecycle-interval).
  app.post('/-/lifecycle/run', async () => runLifecycle(store, clock.now()));

  app.get('/-/channels', async (request) => {
    const endpoint = `http://${request.headers.host ?? '127.0.0.1'}`;
    const expires = Math.floor(clock.now() / 1000) + ADMIN_PLAY_URL_TTL_SEC;
    const credential = services.config.credentials[0]!;
    return {
      channels: store.allChannels().map((c) => {
        const publish = live.get(c.bucket, c.name);
        const stat = publish?.stat();
        const playlistKey = `${c.name}/${c.playlistName}`;
        return {
          bucket: c.bucket,
          name: c.name,
          status: c.status,
          playlistName: c.playlistName,
          fragDuration: c.fragDuration,
          fragCount: c.fragCount,
          acl: store.getBucket(c.bucket)?.acl ?? 'private',
          playUrl: plainObjectUrl(endpoint, c.bucket, playlistKey),
          signedPlayUrl: signedPlaylistUrl(endpoint, credential, c.bucket, playlistKey, expires),
          live: stat
            ? {
                connectedTime: new Date(stat.connectedMs).toISOString(),
                remoteAddr: stat.remoteAddr,
                video: stat.video ?? null,
                audio: stat.audio ?? null,
                segmentsWritten: store.segmentsOfPublish(publish!.publishId).length,
                warnings: stat.warnings,
              }
            : null,
        };
      }),
    };
  });
}
