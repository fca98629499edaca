// The console's admin API and the browser route at `/`: changes go through the OSS operations (same errors, as JSON),
// SDK requests to `/` stay ListBuckets, and the request log lists OSS requests with their error codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

const json = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${emu.endpoint}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('the console at / and /-/console', () => {
  it('serves the page to a browser navigation and keeps ListBuckets for SDKs', async () => {
    const page = await fetch(`${emu.endpoint}/`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/-/console/app.js');
    const signed = (await ossClient(emu).listBuckets({})) as unknown as { res: { status: number } };
    expect(signed.res.status).toBe(200);
    const unsigned = await fetch(`${emu.endpoint}/`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>AccessDenied</Code>');
    expect((await fetch(`${emu.endpoint}/-/console`)).headers.get('content-type')).toContain('text/html');
    const script = await fetch(`${emu.endpoint}/-/console/app.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(5000);
    expect((await fetch(`${emu.endpoint}/-/console/hls.js`)).status).toBe(200);
  }, 60_000);
});

describe('the console admin API', () => {
  it('creates a bucket and a channel through the OSS operations and reports OSS errors as JSON', async () => {
    const bucket = uniqueBucket('capi');
    expect(await json('POST', '/-/buckets', { name: bucket, acl: 'public-read' })).toEqual({
      status: 200,
      body: { bucket, acl: 'public-read' },
    });
    expect(emu.state.bucket(bucket)?.acl).toBe('public-read');
    const again = await json('POST', '/-/buckets', { name: bucket });
    expect(again).toMatchObject({ status: 409, body: { code: 'BucketAlreadyExists' } });
    expect(await json('POST', '/-/buckets', { name: 'Bad_Name' })).toMatchObject({ status: 400, body: { code: 'InvalidBucketName' } });

    const created = await json('POST', `/-/buckets/${bucket}/channels`, {
      name: 'cam',
      fragDuration: 3,
      fragCount: 4,
      playlistName: 'p.m3u8',
    });
    expect(created.status).toBe(200);
    expect(emu.state.channel(bucket, 'cam')).toMatchObject({
      fragDuration: 3,
      fragCount: 4,
      playlistName: 'p.m3u8',
      status: 'enabled',
    });
    expect(await json('POST', `/-/buckets/${bucket}/channels`, { name: 'bad', fragDuration: 500, fragCount: 3 })).toMatchObject({
      status: 400,
      body: { code: 'InvalidArgument' },
    });

    expect((await json('PUT', `/-/buckets/${bucket}/channels/cam/status`, { status: 'disabled' })).status).toBe(200);
    const detail = await json('GET', `/-/buckets/${bucket}/channels/cam`);
    expect(detail.body).toMatchObject({
      state: 'Disabled',
      playUrl: `${emu.endpoint}/${bucket}/cam/p.m3u8`,
      live: null,
      history: [],
      segments: [],
    });

    const rtmp = await json('POST', `/-/buckets/${bucket}/channels/cam/rtmp-url`, { expiresInSec: 86400 });
    expect(rtmp.body.obsServer).toBe(`rtmp://127.0.0.1:${emu.rtmpPort}/${bucket}/live`);
    expect(`${rtmp.body.obsServer}/${rtmp.body.obsStreamKey}`).toBe(rtmp.body.url);

    expect((await json('PUT', `/-/buckets/${bucket}/acl`, { acl: 'private' })).status).toBe(200);
    expect(emu.state.bucket(bucket)?.acl).toBe('private');
    expect((await json('GET', `/-/buckets/${bucket}/channels/cam`)).body.playUrl as string).toContain(
      'x-oss-process=hls%2Fsign&OSSAccessKeyId=',
    );
    expect((await json('DELETE', `/-/buckets/${bucket}/channels/cam`)).status).toBe(200);
    expect(emu.state.channel(bucket, 'cam')).toBeUndefined();
  });

  it('lists objects by prefix with presigned download URLs, and deletes one', async () => {
    const bucket = uniqueBucket('cobj');
    const client = ossClient(emu, bucket);
    await client.putBucket(bucket);
    await client.put('a/1.txt', Buffer.from('one'));
    await client.put('top.txt', Buffer.from('top'));
    const root = await json('GET', `/-/buckets/${bucket}/objects`);
    expect(root.body.prefixes).toEqual(['a/']);
    const objects = root.body.objects as Array<{ key: string; url: string }>;
    expect(objects.map((o) => o.key)).toEqual(['top.txt']);
    expect(await (await fetch(objects[0]!.url)).text()).toBe('top');
    const inside = await json('GET', `/-/buckets/${bucket}/objects?prefix=a%2F`);
    expect((inside.body.objects as Array<{ key: string }>).map((o) => o.key)).toEqual(['a/1.txt']);
    expect((await json('DELETE', `/-/buckets/${bucket}/objects?key=a%2F1.txt`)).status).toBe(200);
    expect(emu.state.object(bucket, 'a/1.txt')).toBeUndefined();
  });

  it('keeps the last OSS requests with operation, status and OSS error code; admin requests are not listed', async () => {
    const bucket = uniqueBucket('clog');
    await ossClient(emu, bucket).putBucket(bucket);
    await fetch(`${emu.endpoint}/${bucket}/nope.txt`);
    const { body } = await json('GET', '/-/requests?limit=200');
    const requests = body.requests as Array<Record<string, unknown>>;
    expect(requests.find((r) => r.operation === 'PutBucket' && r.bucket === bucket)).toMatchObject({ status: 200 });
    expect(requests.find((r) => r.operation === 'GetObject' && r.bucket === bucket)).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(requests.some((r) => String(r.url).startsWith('/-/'))).toBe(false);
  });

  it('refuses form-encoded changes and other origins (the /-/ guard)', async () => {
    const form = await fetch(`${emu.endpoint}/-/buckets`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=evil',
    });
    expect(form.status).toBe(415);
    const foreign = await fetch(`${emu.endpoint}/-/buckets`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '{"name":"evil"}',
    });
    expect(foreign.status).toBe(403);
    expect(emu.state.bucket('evil')).toBeUndefined();
  });
});
