// The OSS front (src/http/oss-front.ts): OSS requests answered on Node's http, the admin API left to Fastify, and
// what every OSS answer carries and leaves behind (request id, Server, the request log, the request-failed event).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { errorOf, signedRequest } from '../helpers/signed-request.js';

let emu: Emulator;
let permissive: Emulator;
let bucket: string;

interface LoggedRequest {
  id: string;
  method: string;
  operation?: string;
  status: number;
  code?: string;
  ec?: string;
}
const requestLog = async (e: Emulator): Promise<LoggedRequest[]> =>
  ((await (await fetch(`${e.endpoint}/-/requests`)).json()) as { requests: LoggedRequest[] }).requests;
const logged = async (e: Emulator, id: string | null) => (await requestLog(e)).find((r) => r.id === id);

beforeAll(async () => {
  [emu, permissive] = await Promise.all([startTestEmulator(), startTestEmulator({ cors: 'permissive' })]);
  bucket = uniqueBucket('front');
  const client = ossClient(emu, bucket);
  await client.putBucket(bucket);
  await client.put('page.html', Buffer.from('<p>hi</p>'), { mime: 'text/html' } as never);
});
afterAll(() => Promise.all([emu.close(), permissive.close()]));

describe('the OSS front', () => {
  it('answers with the request id and Server: AliyunOSS, and logs the request under that id', async () => {
    const res = await signedRequest(emu, { method: 'GET', bucket, key: 'page.html' });
    expect(res.status).toBe(200);
    expect(res.headers.server).toBe('AliyunOSS');
    const id = res.headers['x-oss-request-id'] as string;
    expect(id).toMatch(/^[0-9A-F]{24}$/);
    // An object served as text/html is an OSS request like any other.
    expect(await logged(emu, id)).toMatchObject({ method: 'GET', operation: 'GetObject', status: 200 });
  });

  it('logs an error answer with its Code and EC and emits request-failed with the same request id', async () => {
    const since = emu.events.cursor();
    const res = await signedRequest(emu, { method: 'GET', bucket, key: 'missing.txt' });
    const id = res.headers['x-oss-request-id'] as string;
    expect(errorOf(res)).toMatchObject({ status: 404, code: 'NoSuchKey' });
    expect(res.headers['x-oss-ec']).toBe(errorOf(res).ec);
    expect(await logged(emu, id)).toMatchObject({ operation: 'GetObject', status: 404, code: 'NoSuchKey', ec: errorOf(res).ec });
    const [event] = await emu.waitFor({ type: 'request-failed' }, { since });
    expect(event).toMatchObject({ requestId: id, operation: 'GetObject', bucket, key: 'missing.txt', status: 404, code: 'NoSuchKey' });
  });

  it('answers an unknown method with 405 in OSS XML, logged and emitted too', async () => {
    const since = emu.events.cursor();
    const res = await fetch(`${emu.endpoint}/${bucket}/page.html`, { method: 'PATCH' });
    expect(res.status).toBe(405);
    expect(await res.text()).toContain('<Code>MethodNotAllowed</Code>');
    const id = res.headers.get('x-oss-request-id');
    expect(await logged(emu, id)).toMatchObject({ method: 'PATCH', status: 405, code: 'MethodNotAllowed' });
    expect((await emu.waitFor({ type: 'request-failed' }, { since }))[0]).toMatchObject({ requestId: id, status: 405 });
  });

  it('keeps the web console page at / out of the request log', async () => {
    const res = await fetch(`${emu.endpoint}/`, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await logged(emu, res.headers.get('x-oss-request-id'))).toBeUndefined();
  });

  it('leaves /-/ to the admin API: a route it serves answers JSON; a path it does not is an OSS request to bucket -', async () => {
    const health = await fetch(`${emu.endpoint}/-/health`);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    expect(health.headers.get('x-oss-request-id')).toMatch(/^[0-9A-F]{24}$/);
    expect(await logged(emu, health.headers.get('x-oss-request-id'))).toBeUndefined();

    const other = await fetch(`${emu.endpoint}/-/no-such-route`);
    expect(other.status).toBeGreaterThanOrEqual(400);
    expect(other.headers.get('content-type')).toBe('application/xml');
    expect(await other.text()).toMatch(/<Error><Code>\w+<\/Code>/);
    expect(await logged(emu, other.headers.get('x-oss-request-id'))).toMatchObject({ status: other.status });
    // The admin guard still sees it first.
    const evil = await fetch(`${emu.endpoint}/-/no-such-route`, { headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('content-type')).toContain('application/json');
  });

  it('--cors permissive: OSS answers allow any origin, the admin API does not', async () => {
    const headers = { origin: 'http://page.example' };
    const oss = await fetch(`${permissive.endpoint}/`, { headers });
    expect(oss.headers.get('access-control-allow-origin')).toBe('http://page.example');
    expect(oss.headers.get('access-control-expose-headers')).toContain('x-oss-request-id');
    const admin = await fetch(`${permissive.endpoint}/-/health`, { headers: { origin: permissive.endpoint } });
    expect(admin.status).toBe(200);
    expect(admin.headers.get('access-control-allow-origin')).toBeNull();
  });
});
