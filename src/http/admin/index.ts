import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../../events/event-bus.js';
import type { ControlledClock } from '../../shared/clock.js';
import type { FaultRules } from '../../faults/fault-rules.js';
import type { LivePublishes } from '../../oss/live-publishes.js';
import { adminScope } from './admin-json.js';
import { registerClockRoutes } from './clock-routes.js';
import { registerEventRoutes } from './events-routes.js';
import { registerFaultRoutes } from './faults-routes.js';
import { registerKickRoutes } from './kick-routes.js';
import { registerSnapshotRoutes, type CheckpointControl } from './snapshot-routes.js';

/** What the test-control routes use (add a field when a route needs one). */
export interface TestControlServices {
  clock: ControlledClock;
  events: EventBus;
  faults: FaultRules;
  live: LivePublishes;
  checkpoints: CheckpointControl;
}

export interface TestControlDeps {
  services: TestControlServices;
}

/** The test-control admin routes (clock, events, faults, snapshots, OpenAPI), each in its own file, JSON errors. */
export function registerTestControlRoutes(app: FastifyInstance, deps: TestControlDeps): void {
  adminScope(app, (scope) => {
    registerClockRoutes(scope, deps.services.clock);
    registerEventRoutes(scope, deps.services.events);
    registerFaultRoutes(scope, deps.services.faults);
    registerKickRoutes(scope, deps.services);
    registerSnapshotRoutes(scope, deps.services.checkpoints);
  });
}
