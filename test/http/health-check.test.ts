import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthRoute } from '../../src/http/health-check.js';
import { createLogger } from '../../src/shared/logger.js';

let now = 10_000;
const live: unknown[] = [];
const route = createHealthRoute({ clock: { now: () => now }, live: { all: () => live } }, { extraHosts: [] }, createLogger('silent'));
const server = createServer((req, res) =>
  route.matches(req) ? route.answer(req, res, 'ABCDEF0123456789ABCDEF01') : res.end('not health'),
);
let base: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const request = (method: string, url: string): IncomingMessage => Object.assign(new IncomingMessage(new Socket()), { method, url });

describe('createHealthRoute', () => {
  it('matches GET and HEAD of /-/health, with or without a query, and nothing else', () => {
    for (const [method, url] of [
      ['GET', '/-/health'],
      ['HEAD', '/-/health'],
      ['GET', '/-/health?x=1'],
    ])
      expect(route.matches(request(method!, url!)), `${method} ${url}`).toBe(true);
    for (const [method, url] of [
      ['POST', '/-/health'],
      ['GET', '/-/healthz'],
      ['GET', '/-/health/x'],
      ['GET', '/-/channels'],
    ])
      expect(route.matches(request(method!, url!)), `${method} ${url}`).toBe(false);
  });

  it('reports status, uptime since it was made and the live publish count, as JSON', async () => {
    now += 1234;
    live.push({}, {});
    const res = await fetch(`${base}/-/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('server')).toBe('AliyunOSS');
    expect(res.headers.get('x-oss-request-id')).toBe('ABCDEF0123456789ABCDEF01');
    expect(await res.json()).toEqual({ status: 'ok', uptimeMs: 1234, livePublishes: 2 });
    live.length = 0;
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const [get, head] = await Promise.all([fetch(`${base}/-/health?probe`), fetch(`${base}/-/health?probe`, { method: 'HEAD' })]);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
    expect(await head.text()).toBe('');
  });

  it('refuses cross-site browser requests as the admin guard does', async () => {
    const cross = await fetch(`${base}/-/health`, { headers: { origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    expect(cross.headers.get('connection')).toBe('close');
    expect(cross.headers.get('cache-control')).toBe('no-store');
    expect(await cross.json()).toEqual({ code: 'AccessDenied', message: expect.stringContaining('https://evil.example') });
    const site = await fetch(`${base}/-/health`, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(site.status).toBe(403);
  });
});
