import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { registeredAdminRoutes } from '../../../src/http/admin/openapi.js';
import { HEALTH_PATH } from '../../../src/http/health-check.js';
import { buildTestAdminApp, startTestEmulator } from '../../helpers/emulator.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { summary: string; responses: Record<string, unknown> }>>;
}

describe('GET /-/openapi.json', () => {
  it('describes every registered /-/ route, and nothing that is not registered', async () => {
    const res = await fetch(`${emu.endpoint}/-/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApiDoc;
    expect(doc.openapi).toBe('3.1.0');
    const described = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();

    // The same app the emulator builds, with the route collector watching every registration.
    const app = await buildTestAdminApp(emu);
    await app.ready();
    // The health check is answered by the HTTP server before the admin app (health-check.ts).
    const routes = [{ method: 'get', path: HEALTH_PATH }, ...registeredAdminRoutes(app)];
    const registered = [...new Set(routes.map((r) => `${r.method.toUpperCase()} ${r.path}`))].sort();
    await app.close();

    expect(registered.length).toBeGreaterThan(20);
    expect(
      registered.filter((r) => !described.includes(r)),
      'registered but not described',
    ).toEqual([]);
    expect(
      described.filter((d) => !registered.includes(d)),
      'described but not registered',
    ).toEqual([]);
    for (const methods of Object.values(doc.paths)) for (const op of Object.values(methods)) expect(op.summary.length).toBeGreaterThan(5);
  });

  it('names the reserved names of INTERFACE.md', async () => {
    const doc = (await (await fetch(`${emu.endpoint}/-/openapi.json`)).json()) as OpenApiDoc;
    for (const [method, path] of [
      ['get', '/-/health'],
      ['post', '/-/reset'],
      ['get', '/-/channels'],
      ['get', '/-/console'],
      ['get', '/-/clock'],
      ['put', '/-/clock'],
      ['get', '/-/events'],
      ['get', '/-/faults'],
      ['post', '/-/faults'],
      ['delete', '/-/faults'],
      ['post', '/-/channels/{bucket}/{channel}/kick'],
      ['post', '/-/snapshot'],
      ['post', '/-/restore'],
      ['get', '/-/openapi.json'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});
