import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import type { HttpApp } from '../../src/http/app.js';
import { buildTestHttpApp, startTestEmulator } from '../helpers/emulator.js';

// The emulator's HTTP app, built a second time from a running emulator's services and listening on its own port, so
// that the test sees whether the admin app (Fastify) has been loaded.
let emu: Emulator;
let http: HttpApp;
let base: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  http = buildTestHttpApp(emu);
  await new Promise<void>((resolve) => http.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => http.server.close(() => resolve()));
  await http.close();
  await emu.close();
});

describe('buildHttpApp', () => {
  it('answers OSS requests and the health check without building the admin app', async () => {
    expect(http.adminBuilt()).toBe(false);
    const health = await fetch(`${base}/-/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', uptimeMs: expect.any(Number), livePublishes: 0 });
    const oss = await fetch(`${base}/no-such-bucket-here/key`);
    expect(oss.status).toBe(404);
    expect(await oss.text()).toContain('<Code>NoSuchBucket</Code>');
    expect(http.adminBuilt()).toBe(false);
  });

  it('builds the admin app on the first other /-/ request, once, and serves it from then on', async () => {
    const [a, b] = await Promise.all([fetch(`${base}/-/channels`), fetch(`${base}/-/clock`)]);
    expect(a.status).toBe(200);
    expect(await a.json()).toEqual({ channels: expect.any(Array) });
    expect(b.status).toBe(200);
    expect(http.adminBuilt()).toBe(true);
    expect(await http.admin()).toBe(await http.admin());
    // A /-/ path no admin route serves is still an OSS request to the bucket `-`.
    const unknown = await fetch(`${base}/-/no-such-admin-route`);
    expect(unknown.headers.get('content-type')).toBe('application/xml');
    expect((await fetch(`${base}/-/health`)).status).toBe(200);
  });
});
