import type { FastifyInstance } from 'fastify';
import type { OperationName } from '../../oss/detect-operation.js';
import type { Operation, OperationServices } from '../../oss/operation.js';
import { applySeed } from '../../oss/seed/apply-seed.js';
import { parseSeed, SeedError } from '../../oss/seed/seed-spec.js';
import { AdminError, adminScope, readJsonBody } from './admin-json.js';

export interface InitRouteDeps {
  services: OperationServices;
  operations: Record<OperationName, Operation>;
}

/** Inline object bytes make a seed larger than other admin bodies. */
const MAX_SEED_BYTES = 8 * 1024 * 1024;

/**
 * `POST /-/init`: the seed of `--init FILE` as a JSON body, applied the same way (through the OSS operations,
 * idempotently). Objects carry their bytes (`content`, `contentBase64`): the admin API never reads a file it is named.
 * Answers what was done per entry; a refused entry answers its OSS status and code with the entry named.
 */
export function registerInitRoutes(app: FastifyInstance, deps: InitRouteDeps): void {
  adminScope(app, (scope) => {
    scope.post('/-/init', async (request, reply) => {
      const body = await readJsonBody(request, MAX_SEED_BYTES);
      try {
        const report = await applySeed({ services: deps.services, operations: deps.operations }, parseSeed(body, { allowFiles: false }));
        return reply.header('cache-control', 'no-store').send(report);
      } catch (err) {
        if (err instanceof SeedError) throw new AdminError(err.status, err.code, err.message);
        throw err;
      }
    });
  });
}
