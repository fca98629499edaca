import type { FastifyInstance } from 'fastify';
import type { Services } from '../../oss/operation.js';
import { adminScope } from './admin-json.js';
import { registerClockRoutes } from './clock-routes.js';
import { registerEventRoutes } from './events-routes.js';

export interface TestControlDeps {
  services: Services;
}

/** The test-control admin routes (clock, events, faults, snapshots, OpenAPI), each in its own file, JSON errors. */
export function registerTestControlRoutes(app: FastifyInstance, deps: TestControlDeps): void {
  adminScope(app, (scope) => {
    registerClockRoutes(scope, deps.services.clock);
    registerEventRoutes(scope, deps.services.events);
  });
}
