import type { FastifyInstance } from 'fastify';
import { CheckpointError } from '../../store/checkpoints.js';
import { invalidArgument, notFound, requestFields } from './admin-json.js';

export interface CheckpointView {
  name: string;
  createdAt: string;
  files: number;
}

/** Named checkpoints of the whole state, as the composition root implements them (restore ends live publishes first). */
export interface CheckpointControl {
  save(name: string): CheckpointView;
  restore(name: string): Promise<{ endedPublishes: number }>;
  list(): CheckpointView[];
  delete(name: string): boolean;
}

const asAdminError = (err: unknown): unknown =>
  err instanceof CheckpointError ? (err.kind === 'not-found' ? notFound(err.message) : invalidArgument(err.message)) : err;

async function nameOf(request: Parameters<typeof requestFields>[0]): Promise<string> {
  const { name } = await requestFields(request);
  if (typeof name !== 'string' || name === '') throw invalidArgument('name the checkpoint: {"name": "seeded"} or ?name=seeded');
  return name;
}

/**
 * `POST /-/snapshot {name}` saves the whole state (buckets, objects, channels, history) under a name; `POST /-/restore
 * {name}` puts it back (live publishes are ended first, as /-/reset does); `GET /-/snapshot` lists them,
 * `DELETE /-/snapshot/{name}` removes one.
 */
export function registerSnapshotRoutes(app: FastifyInstance, checkpoints: CheckpointControl): void {
  app.post('/-/snapshot', async (request, reply) => {
    const name = await nameOf(request);
    try {
      return await reply.code(201).send(checkpoints.save(name));
    } catch (err) {
      throw asAdminError(err);
    }
  });

  app.post('/-/restore', async (request) => {
    const name = await nameOf(request);
    try {
      const { endedPublishes } = await checkpoints.restore(name);
      return { name, restored: true, endedPublishes };
    } catch (err) {
      throw asAdminError(err);
    }
  });

  app.get('/-/snapshot', async (_request, reply) => reply.header('cache-control', 'no-store').send({ snapshots: checkpoints.list() }));

  app.delete<{ Params: { name: string } }>('/-/snapshot/:name', async (request, reply) => {
    let removed: boolean;
    try {
      removed = checkpoints.delete(request.params.name);
    } catch (err) {
      throw asAdminError(err);
    }
    if (!removed) throw notFound(`no checkpoint named "${request.params.name}"`);
    return reply.code(204).send();
  });
}
