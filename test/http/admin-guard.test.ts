import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { buildTestAdminApp, ossClient, startTestEmulator } from '../helpers/emulator.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request with exactly the headers a browser (or curl) would send. */
function send(emu: Emulator, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: emu.httpPort, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('admin API guard (/-/)', () => {
  let emu: Emulator;
  const own = (): string => `http://127.0.0.1:${emu.httpPort}`;
  const bucketSurvives = async (): Promise<void> => {
    const info = await ossClient(emu).getBucketInfo('guard-canary');
    expect(info.bucket.Name).toBe('guard-canary');
  };

  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    await send(emu, 'POST', '/-/reset');
    await ossClient(emu).putBucket('guard-canary');
  });

  it('refuses a cross-origin simple POST /-/reset (what any web page can send) and wipes nothing', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await send(emu, 'POST', '/-/reset', { origin: 'http://evil.example', 'content-type': type }, 'a=b');
      expect(res.status).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(JSON.parse(res.body)).toMatchObject({ code: 'AccessDenied' });
    }
    const noBody = await send(emu, 'POST', '/-/reset', { origin: 'null' });
    expect(noBody.status).toBe(403);
    await bucketSurvives();
  });

  it('refuses form-encoded bodies even without an Origin header (old browsers, stripped Origin)', async () => {
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'Multipart/Form-Data; boundary=----x']) {
      const res = await send(emu, 'POST', '/-/reset', { 'content-type': type }, 'x');
      expect(res.status).toBe(415);
    }
    await bucketSurvives();
  });

  it('refuses a percent-encoded admin path from another origin too', async () => {
    const res = await send(emu, 'POST', '/%2D/reset', { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    await bucketSurvives();
  });

  it('refuses cross-site reads of /-/channels and sends no CORS headers on /-/', async () => {
    const cross = await send(emu, 'GET', '/-/channels', { origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
    expect(cross.headers['access-control-allow-origin']).toBeUndefined();
    // A no-cors fetch or <img> from another site carries Sec-Fetch-Site but no Origin.
    const noCors = await send(emu, 'GET', '/-/channels', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' });
    expect(noCors.status).toBe(403);
    const preflight = await send(emu, 'OPTIONS', '/-/reset', { origin: 'http://evil.example', 'access-control-request-method': 'POST' });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    // The OSS API itself answers browser players from the bucket's CORS rules.
    await ossClient(emu).putBucketCORS('guard-canary', [{ allowedOrigin: '*', allowedMethod: 'GET' }] as never);
    const oss = await send(emu, 'GET', '/guard-canary/x.m3u8', { origin: 'http://player.example' });
    expect(oss.headers['access-control-allow-origin']).toBe('http://player.example');
  });

  it('refuses a DNS-rebinding page (its origin equals its Host, but that host is not a local name)', async () => {
    const res = await send(emu, 'POST', '/-/reset', {
      host: `evil.example:${emu.httpPort}`,
      origin: `http://evil.example:${emu.httpPort}`,
      'sec-fetch-site': 'same-origin',
    });
    expect(res.status).toBe(403);
    await bucketSurvives();
  });

  it('keeps working for curl, scripts and the emulator’s own pages', async () => {
    const health = await send(emu, 'GET', '/-/health');
    expect(health.status).toBe(200);
    const typed = await send(emu, 'GET', '/-/channels', { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' });
    expect(typed.status).toBe(200);
    const ownPage = await send(
      emu,
      'POST',
      '/-/reset',
      { origin: own(), 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      '{}',
    );
    expect(ownPage.status).toBe(200);
    await expect(ossClient(emu).getBucketInfo('guard-canary')).rejects.toMatchObject({ status: 404 });
    await ossClient(emu).putBucket('guard-canary');
    const curl = await send(emu, 'POST', '/-/reset'); // curl -X POST …/-/reset
    expect(curl.status).toBe(200);
    expect(JSON.parse(curl.body)).toEqual({ status: 'reset' });
    await expect(ossClient(emu).getBucketInfo('guard-canary')).rejects.toMatchObject({ status: 404 });
  });

  it('covers admin routes that other code registers later, automatically', async () => {
    const app = await buildTestAdminApp(emu);
    let ran = 0;
    app.post('/-/added-later', async () => ({ ran: ++ran }));
    await app.register(async (child) => {
      child.delete('/-/plugin/route', async () => ({ ran: ++ran }));
    });
    try {
      const cross = await app.inject({ method: 'POST', url: '/-/added-later', headers: { origin: 'https://evil.example' } });
      expect(cross.statusCode).toBe(403);
      const form = await app.inject({ method: 'DELETE', url: '/-/plugin/route', headers: { 'content-type': 'text/plain' }, payload: 'x' });
      expect(form.statusCode).toBe(415);
      expect(ran).toBe(0);
      const ok = await app.inject({ method: 'POST', url: '/-/added-later' });
      expect(ok.statusCode).toBe(200);
      expect(ran).toBe(1);
    } finally {
      await app.close();
    }
  });
});
