// Bucket CORS enforcement: preflights and cross-origin requests are answered from the bucket's rules, as OSS does,
// so a web player that would fail on real OSS fails here too. `--cors permissive` restores allow-everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { errorOf } from '../helpers/signed-request.js';

let emu: Emulator;
let open: string;
let closed: string;
const ORIGIN = 'http://player.example:8000';

const preflight = (bucket: string, key: string, headers: Record<string, string>) =>
  fetch(`${emu.endpoint}/${bucket}/${key}`, { method: 'OPTIONS', headers });
const xml = async (res: Response) => errorOf({ status: res.status, headers: {}, text: await res.text() });

beforeAll(async () => {
  emu = await startTestEmulator();
  open = uniqueBucket('corsopen');
  closed = uniqueBucket('corsclosed');
  for (const b of [open, closed]) {
    const client = ossClient(emu, b);
    await client.putBucket(b, { acl: 'public-read' } as never);
    await client.put('live/playlist.m3u8', Buffer.from('#EXTM3U\n'));
  }
  await ossClient(emu, open).putBucketCORS(open, [
    {
      allowedOrigin: 'http://*.example:8000',
      allowedMethod: ['GET', 'HEAD'],
      allowedHeader: ['range', 'x-oss-*'],
      exposeHeader: ['ETag'],
      maxAgeSeconds: '30',
    },
  ] as never);
});
afterAll(() => emu.close());

describe('preflight (OPTIONS) against the bucket CORS rules', () => {
  it("allows what a rule allows: origin echoed, the rule's methods, the requested headers, expose and max-age", async () => {
    const res = await preflight(open, 'live/playlist.m3u8', {
      origin: ORIGIN,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'Range, X-Oss-Meta-A',
    });
    expect(res.status).toBe(200);
    expect(Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('access-control')))).toEqual({
      'access-control-allow-origin': ORIGIN,
      'access-control-allow-methods': 'GET, HEAD',
      'access-control-allow-headers': 'range, x-oss-meta-a',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '30',
    });
  });

  it('refuses with 403 AccessForbidden when no rule allows the origin, the method or a header', async () => {
    for (const headers of [
      { origin: 'http://evil.test', 'access-control-request-method': 'GET' } as Record<string, string>,
      { origin: ORIGIN, 'access-control-request-method': 'PUT' },
      { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    ]) {
      const res = await preflight(open, 'live/playlist.m3u8', headers);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const e = await xml(res);
      expect(e.status).toBe(403);
      expect(e.code).toBe('AccessForbidden');
      expect(e.message).toMatch(/^CORSResponse: This CORS request is not allowed\./);
    }
  });

  it('refuses every preflight on a bucket without CORS rules: CORS is not enabled for this bucket', async () => {
    const e = await xml(await preflight(closed, 'live/playlist.m3u8', { origin: ORIGIN, 'access-control-request-method': 'GET' }));
    expect(e).toMatchObject({ status: 403, code: 'AccessForbidden', message: 'CORSResponse: CORS is not enabled for this bucket.' });
  });

  it('refuses a preflight without Origin and one to a missing bucket', async () => {
    expect((await xml(await preflight(open, 'x', { 'access-control-request-method': 'GET' }))).code).toBe('AccessForbidden');
    const e = await xml(await preflight(uniqueBucket('missing'), 'x', { origin: ORIGIN, 'access-control-request-method': 'GET' }));
    expect(e).toMatchObject({ status: 403, code: 'AccessForbidden' });
  });
});

describe('cross-origin requests', () => {
  it('carry CORS headers only when a rule allows the origin and the method', async () => {
    const allowed = await fetch(`${emu.endpoint}/${open}/live/playlist.m3u8`, { headers: { origin: ORIGIN } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-expose-headers')).toBe('ETag');
    // Served all the same (OSS does not refuse it): the browser is what withholds the answer from the page.
    const otherOrigin = await fetch(`${emu.endpoint}/${open}/live/playlist.m3u8`, { headers: { origin: 'http://evil.test' } });
    expect(otherOrigin.status).toBe(200);
    expect(otherOrigin.headers.get('access-control-allow-origin')).toBeNull();
    const noRules = await fetch(`${emu.endpoint}/${closed}/live/playlist.m3u8`, { headers: { origin: ORIGIN } });
    expect(noRules.status).toBe(200);
    expect(noRules.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps the CORS headers on an error the page should be able to read', async () => {
    const res = await fetch(`${emu.endpoint}/${open}/live/missing.ts`, { headers: { origin: ORIGIN } });
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('sends Vary: Origin when the configuration asks for it (ResponseVary)', async () => {
    const b = uniqueBucket('corsvary');
    const client = ossClient(emu, b);
    await client.putBucket(b, { acl: 'public-read' } as never);
    await client.put('k', Buffer.from('v'));
    const body =
      '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>' +
      '<ResponseVary>true</ResponseVary></CORSConfiguration>';
    const { signedRequest } = await import('../helpers/signed-request.js');
    expect(
      (await signedRequest(emu, { method: 'PUT', bucket: b, query: [['cors', '']], body, contentType: 'application/xml' })).status,
    ).toBe(200);
    const res = await fetch(`${emu.endpoint}/${b}/k`, { headers: { origin: ORIGIN } });
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('sends no CORS headers on the admin API', async () => {
    const res = await fetch(`${emu.endpoint}/-/health`, { headers: { origin: ORIGIN } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('--cors permissive', () => {
  let loose: Emulator;
  beforeAll(async () => {
    loose = await startTestEmulator({ cors: 'permissive' });
  });
  afterAll(() => loose.close());

  it('allows every origin on OSS requests whatever the bucket rules, but never on the admin API', async () => {
    const b = uniqueBucket('loose');
    await ossClient(loose, b).putBucket(b);
    const pre = await fetch(`${loose.endpoint}/${b}/k`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'PUT' },
    });
    expect(pre.status).toBe(200);
    const get = await fetch(`${loose.endpoint}/${b}/k`, { headers: { origin: ORIGIN } });
    expect(get.status).toBe(403);
    expect(get.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const admin = await fetch(`${loose.endpoint}/-/health`, { headers: { origin: ORIGIN } });
    expect(admin.headers.get('access-control-allow-origin')).toBeNull();
    const adminPre = await fetch(`${loose.endpoint}/-/reset`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(adminPre.status).toBe(403);
  });
});
