import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, presignedUrl, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

let emu: Emulator;
let bucket: string;
let client: ReturnType<typeof ossClient>;
const md5Etag = (b: Buffer) => `"${createHash('md5').update(b).digest('hex').toUpperCase()}"`;

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket();
  client = ossClient(emu, bucket);
  await client.putBucket(bucket);
});
afterAll(() => emu.close());

describe('object operations through ali-oss', () => {
  it('puts, gets and heads an object with its ETag, type and user metadata', async () => {
    const body = Buffer.from('hello, live channel');
    const put = await client.put('dir/hello.txt', body, { meta: { owner: 'tests' } } as never);
    expect(put.res.status).toBe(200);
    expect(put.res.headers).toMatchObject({ etag: md5Etag(body) });
    const got = await client.get('dir/hello.txt');
    expect(Buffer.compare(got.content as Buffer, body)).toBe(0);
    expect(got.res.headers).toMatchObject({ 'content-type': 'text/plain', etag: md5Etag(body), 'x-oss-meta-owner': 'tests' });
    const head = await client.head('dir/hello.txt');
    expect(head.status).toBe(200);
    expect(head.meta).toMatchObject({ owner: 'tests' });
    expect(head.res.headers).toMatchObject({ 'content-length': String(body.length) });
  });

  it('serves byte ranges with 206 and Content-Range, and 416 past the end', async () => {
    const body = Buffer.from('0123456789abcdef');
    await client.put('range.bin', body);
    const part = await client.get('range.bin', { headers: { Range: 'bytes=2-5' } });
    expect(part.res.status).toBe(206);
    expect((part.content as Buffer).toString()).toBe('2345');
    expect(part.res.headers).toMatchObject({ 'content-range': 'bytes 2-5/16' });
    const tail = await client.get('range.bin', { headers: { Range: 'bytes=-3' } });
    expect((tail.content as Buffer).toString()).toBe('def');
    const open = await client.get('range.bin', { headers: { Range: 'bytes=14-' } });
    expect((open.content as Buffer).toString()).toBe('ef');
    await expect(client.get('range.bin', { headers: { Range: 'bytes=16-20' } })).rejects.toMatchObject({
      status: 416,
      code: 'InvalidRange',
    });
    const ignored = await client.get('range.bin', { headers: { Range: 'bytes=5-2' } });
    expect(ignored.res.status).toBe(200);
  });

  it('honours If-None-Match and If-Match', async () => {
    const body = Buffer.from('conditional');
    await client.put('cond.txt', body);
    const url = presignedUrl(emu, bucket, 'cond.txt');
    const notModified = await fetch(url, { headers: { 'If-None-Match': md5Etag(body) } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(md5Etag(body));
    expect(notModified.headers.get('content-length')).not.toBe('0');
    const failed = await fetch(url, { headers: { 'If-Match': '"0000"' } });
    expect(failed.status).toBe(412);
    expect(await failed.text()).toContain('<Code>PreconditionFailed</Code>');
  });

  it('lists with prefix, delimiter, marker and max-keys (v1 and v2)', async () => {
    for (const key of ['list/a.ts', 'list/b.ts', 'list/sub/c.ts', 'list/sub/d.ts', 'list/z.m3u8', 'other.txt']) {
      await client.put(key, Buffer.from(key));
    }
    const page1 = await client.list({ prefix: 'list/', delimiter: '/', 'max-keys': 2 } as never, {});
    expect(page1.objects.map((o) => o.name)).toEqual(['list/a.ts', 'list/b.ts']);
    expect(page1.isTruncated).toBe(true);
    expect(page1.nextMarker).toBe('list/b.ts');
    const page2 = await client.list({ prefix: 'list/', delimiter: '/', marker: page1.nextMarker, 'max-keys': 10 } as never, {});
    expect(page2.prefixes).toEqual(['list/sub/']);
    expect(page2.objects.map((o) => o.name)).toEqual(['list/z.m3u8']);
    expect(page2.isTruncated).toBe(false);
    const v2 = await client.listV2({ prefix: 'list/sub/', 'max-keys': 1 } as never, {});
    expect(v2.objects.map((o) => o.name)).toEqual(['list/sub/c.ts']);
    expect(v2.isTruncated).toBe(true);
    const v2next = await client.listV2({ prefix: 'list/sub/', 'continuation-token': v2.nextContinuationToken } as never, {});
    expect(v2next.objects.map((o) => o.name)).toEqual(['list/sub/d.ts']);
  });

  it('deletes one object (204) and several at once', async () => {
    await client.put('del/1', Buffer.from('1'));
    await client.put('del/2', Buffer.from('2'));
    await client.put('del/3', Buffer.from('3'));
    const one = await client.delete('del/1');
    expect(one.res.status).toBe(204);
    const multi = await client.deleteMulti(['del/2', 'del/3', 'del/missing']);
    expect(multi.deleted?.map((d) => (d as unknown as { Key: string }).Key)).toEqual(['del/2', 'del/3', 'del/missing']);
    const left = await client.list({ prefix: 'del/' } as never, {});
    expect(left.objects ?? []).toEqual([]);
    await expect(client.get('del/2')).rejects.toMatchObject({ status: 404, code: 'NoSuchKey' });
  });

  it('refuses a body whose Content-MD5 does not match', async () => {
    const err = await client
      .put('md5.txt', Buffer.from('actual'), { headers: { 'Content-MD5': createHash('md5').update('other').digest('base64') } } as never)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'InvalidDigest' });
    await expect(client.get('md5.txt')).rejects.toMatchObject({ status: 404 });
  });

  it('follows object and bucket ACLs for anonymous readers', async () => {
    await client.put('private.txt', Buffer.from('secret'));
    const anonymous = await fetch(`${emu.endpoint}/${bucket}/private.txt`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>');
    await client.putACL('private.txt', 'public-read');
    const nowPublic = await fetch(`${emu.endpoint}/${bucket}/private.txt`);
    expect(nowPublic.status).toBe(200);
    expect(await nowPublic.text()).toBe('secret');
    expect((await client.getACL('private.txt')).acl).toBe('public-read');
  });

  it('serves a presigned GET URL and refuses it once expired', async () => {
    await client.put('signed.txt', Buffer.from('presigned'));
    const ok = await fetch(presignedUrl(emu, bucket, 'signed.txt', { expires: 60 }));
    expect(await ok.text()).toBe('presigned');
    const expired = await fetch(presignedUrl(emu, bucket, 'signed.txt', { expires: -10 }));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired.');
  });

  it('answers CORS preflight from the bucket rule and exposes ETag to browser players', async () => {
    await client.putBucketCORS(bucket, [
      { allowedOrigin: '*', allowedMethod: ['GET', 'HEAD'], allowedHeader: '*', exposeHeader: 'ETag' },
    ] as never);
    const pre = await fetch(`${emu.endpoint}/${bucket}/x.m3u8`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://player.local', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' },
    });
    expect(pre.status).toBe(200);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://player.local');
    expect(pre.headers.get('access-control-allow-headers')).toBe('range');
    await client.put('cors.txt', Buffer.from('c'));
    const get = await fetch(presignedUrl(emu, bucket, 'cors.txt'), { headers: { Origin: 'http://player.local' } });
    expect(get.headers.get('access-control-expose-headers')).toContain('ETag');
  });
});
