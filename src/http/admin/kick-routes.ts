import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../../events/event-bus.js';
import type { LivePublishes } from '../../oss/live-publishes.js';
import { notFound } from './admin-json.js';

/** `POST /-/channels/{bucket}/{channel}/kick`: ends the live publish of a channel from the server side (an ingest fault). */
export function registerKickRoutes(app: FastifyInstance, services: { live: LivePublishes; events: EventBus }): void {
  app.post<{ Params: { bucket: string; channel: string } }>('/-/channels/:bucket/:channel/kick', async (request) => {
    const { bucket, channel } = request.params;
    const publish = services.live.get(bucket, channel);
    if (!publish) throw notFound(`nobody is publishing to ${bucket}/${channel}`);
    services.events.emit('fault-injected', { faultId: 0, action: 'kick', bucket, channel });
    publish.kick('kicked by the admin API', 'kicked');
    return { kicked: true, bucket, channel, publishId: publish.publishId };
  });
}
