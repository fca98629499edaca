import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { crc64Of } from '../../../src/store/crc64.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { errorOf, signedRequest } from '../../helpers/signed-request.js';
import { untyped } from '../../helpers/ali-oss-untyped.js';

let emu: Emulator;
let bucket: string;
let other: string;
let client: ReturnType<typeof ossClient>;
const headersOf = (res: { headers: object }) => res.headers as Record<string, string | undefined>;

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('copy');
  other = uniqueBucket('dest');
  client = ossClient(emu, bucket);
  await client.putBucket(bucket);
  await client.putBucket(other);
});
afterAll(() => emu.close());

describe('CopyObject through ali-oss', () => {
  it('copies within a bucket keeping bytes, ETag, Content-Type and metadata (COPY)', async () => {
    const body = randomBytes(64 * 1024);
    const put = await client.put('src.bin', body, { mime: 'video/mp4', meta: { a: '1' } } as never);
    const copied = await client.copy('dst.bin', 'src.bin');
    expect(copied.res.status).toBe(200);
    expect(copied.data.etag).toBe(put.res.headers['etag' as never]);
    expect(copied.data.lastModified).toMatch(/\.000Z$/);
    const got = await client.get('dst.bin');
    expect(Buffer.compare(got.content as Buffer, body)).toBe(0);
    expect(headersOf(got.res)).toMatchObject({ 'content-type': 'video/mp4', 'x-oss-meta-a': '1', 'x-oss-hash-crc64ecma': crc64Of(body) });
    // The source is untouched; deleting the copy leaves the source readable (the bytes are not shared by name).
    await client.delete('dst.bin');
    expect(Buffer.compare((await client.get('src.bin')).content as Buffer, body)).toBe(0);
  });

  it('copies across buckets and replaces metadata with REPLACE', async () => {
    await client.put('meta.txt', Buffer.from('meta'), { meta: { old: 'x' } } as never);
    const otherClient = ossClient(emu, other);
    const r = await otherClient.copy('moved.txt', 'meta.txt', bucket, {
      meta: { fresh: 'y' },
      headers: { 'Content-Type': 'text/x-test' },
    } as never);
    expect(r.res.status).toBe(200);
    const head = await otherClient.head('moved.txt');
    expect(head.meta).toEqual({ fresh: 'y' });
    expect(headersOf(head.res)['content-type']).toBe('text/x-test');
  });

  it('updates metadata in place by copying an object onto itself', async () => {
    const body = Buffer.from('in place');
    await client.put('self.txt', body, { meta: { v: '1' } } as never);
    const before = await client.head('self.txt');
    await client.copy('self.txt', 'self.txt', { meta: { v: '2' } } as never);
    const after = await client.head('self.txt');
    expect(after.meta).toEqual({ v: '2' });
    expect(headersOf(after.res).etag).toBe(headersOf(before.res).etag);
    expect(((await client.get('self.txt')).content as Buffer).toString()).toBe('in place');
  });

  it('copies a multipart object whole, byte for byte', async () => {
    const parts = [randomBytes(100 * 1024), randomBytes(5000)];
    const init = await client.initMultipartUpload('mp-src');
    const done = [];
    for (const [i, p] of parts.entries())
      done.push({ number: i + 1, etag: (await client.uploadPart('mp-src', init.uploadId, i + 1, p, 0, p.length)).etag });
    await client.completeMultipartUpload('mp-src', init.uploadId, done);
    await client.copy('mp-dst', 'mp-src');
    const got = await client.get('mp-dst');
    expect(Buffer.compare(got.content as Buffer, Buffer.concat(parts))).toBe(0);
    expect(headersOf(got.res)['x-oss-hash-crc64ecma']).toBe(crc64Of(Buffer.concat(parts)));
  });

  it('checks the copy-source conditions: if-match 412, if-none-match 304', async () => {
    const put = await client.put('cond.txt', Buffer.from('c'));
    const etag = headersOf(put.res).etag!;
    // The Condition is named as the plain HTTP header (ali-oss's copy tests assert `(condition: If-Match)`).
    await expect(client.copy('cond-copy.txt', 'cond.txt', { headers: { 'If-Match': '"0000"' } } as never)).rejects.toMatchObject({
      status: 412,
      code: 'PreconditionFailed',
      message: expect.stringMatching(/\(condition: If-Match\)$/),
    });
    const unchanged = await client.copy('cond-copy.txt', 'cond.txt', { headers: { 'If-None-Match': etag } } as never);
    expect(unchanged.res.status).toBe(304);
    const matched = await client.copy('cond-copy.txt', 'cond.txt', { headers: { 'If-Match': etag } } as never);
    expect(matched.res.status).toBe(200);
    const old = new Date(Date.now() - 3600_000).toUTCString();
    await expect(client.copy('cond-copy.txt', 'cond.txt', { headers: { 'If-Unmodified-Since': old } } as never)).rejects.toMatchObject({
      status: 412,
      message: expect.stringMatching(/\(condition: If-Unmodified-Since\)$/),
    });
    expect((await client.copy('cond-copy.txt', 'cond.txt', { headers: { 'If-Modified-Since': old } } as never)).res.status).toBe(200);
  });
});

describe('CopyObject error paths (raw signed requests)', () => {
  it('refuses to overwrite with x-oss-forbid-overwrite, and copies when the target is new', async () => {
    await client.put('fo-src', Buffer.from('s'));
    await client.put('fo-dst', Buffer.from('d'));
    const refused = await signedRequest(emu, {
      method: 'PUT',
      bucket,
      key: 'fo-dst',
      ossHeaders: { 'x-oss-copy-source': `/${bucket}/fo-src`, 'x-oss-forbid-overwrite': 'true' },
    });
    expect(errorOf(refused)).toMatchObject({ status: 409, code: 'FileAlreadyExists' });
    expect(((await client.get('fo-dst')).content as Buffer).toString()).toBe('d');
    const fresh = await signedRequest(emu, {
      method: 'PUT',
      bucket,
      key: 'fo-new',
      ossHeaders: { 'x-oss-copy-source': `/${bucket}/fo-src`, 'x-oss-forbid-overwrite': 'true' },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.text).toMatch(
      /<CopyObjectResult><ETag>(&quot;|")[0-9A-F]{32}(&quot;|")<\/ETag><LastModified>[^<]+\.000Z<\/LastModified><\/CopyObjectResult>/,
    );
  });

  it('answers NoSuchKey, NoSuchBucket and InvalidArgument for bad sources', async () => {
    const copy = (source: string, extra: Record<string, string> = {}) =>
      signedRequest(emu, { method: 'PUT', bucket, key: 'target', ossHeaders: { 'x-oss-copy-source': source, ...extra } });
    expect(errorOf(await copy(`/${bucket}/missing`))).toMatchObject({ status: 404, code: 'NoSuchKey' });
    expect(errorOf(await copy('/no-such-bucket-here/x'))).toMatchObject({ status: 404, code: 'NoSuchBucket' });
    expect(errorOf(await copy(`${bucket}/x`))).toMatchObject({ status: 400, code: 'InvalidArgument' });
    await client.put('ok', Buffer.from('ok'));
    expect(errorOf(await copy(`/${bucket}/ok`, { 'x-oss-metadata-directive': 'MOVE' }))).toMatchObject({
      status: 400,
      code: 'InvalidArgument',
    });
    // A key with a space and a plus, percent-encoded (ali-oss, oss2) or with `+` for the space (Go SDK v1).
    await client.put('a b+c', Buffer.from('odd'));
    expect((await copy(`/${bucket}/a%20b%2Bc`)).status).toBe(200);
    expect((await copy(`/${bucket}/a+b%2Bc`)).status).toBe(200);
  });

  it('checks the source ACL for anonymous callers', async () => {
    const open = uniqueBucket('open');
    await client.putBucket(open, { acl: 'public-read-write' } as never);
    await client.put('secret', Buffer.from('private bytes'));
    const anonymous = await fetch(`${emu.endpoint}/${open}/stolen`, {
      method: 'PUT',
      headers: { 'x-oss-copy-source': `/${bucket}/secret` },
    });
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>');
    const readable = uniqueBucket('pub');
    await client.putBucket(readable, { acl: 'public-read' } as never);
    await ossClient(emu, readable).put('shared', Buffer.from('public bytes'));
    const allowed = await fetch(`${emu.endpoint}/${open}/copied`, {
      method: 'PUT',
      headers: { 'x-oss-copy-source': `/${readable}/shared` },
    });
    expect(allowed.status).toBe(200);
  });
});

describe('CopyObject with x-oss-tagging-directive', () => {
  const tagsOf = async (key: string) => (await untyped(client).getObjectTagging!(key)).tag as Record<string, string>;

  it('COPY keeps the source tags; REPLACE takes the request x-oss-tagging (oss2 test_copy_object_with_tagging)', async () => {
    await client.put('tag-src', Buffer.from('test'), { headers: { 'x-oss-tagging': 'k1=v1&k2=v2&k3=v3' } } as never);
    await client.copy('tag-dst', 'tag-src', { headers: { 'x-oss-tagging-directive': 'COPY' } } as never);
    expect(await tagsOf('tag-dst')).toEqual({ k1: 'v1', k2: 'v2', k3: 'v3' });
    const tagging = `${encodeURIComponent(' +/ ')}=${encodeURIComponent('中文')}&${encodeURIComponent('中文')}=${encodeURIComponent('test++/')}`;
    await client.copy('tag-dst', 'tag-src', { headers: { 'x-oss-tagging-directive': 'REPLACE', 'x-oss-tagging': tagging } } as never);
    expect(await tagsOf('tag-dst')).toEqual({ ' +/ ': '中文', 中文: 'test++/' });
    await client.copy('tag-none', 'tag-src', { headers: { 'x-oss-tagging-directive': 'REPLACE' } } as never);
    expect(await tagsOf('tag-none')).toEqual({});
  });

  it('REPLACE on a copy onto itself rewrites the tags in place', async () => {
    await client.put('tag-self', Buffer.from('x'), { headers: { 'x-oss-tagging': 'a=1' } } as never);
    await client.copy('tag-self', 'tag-self', { headers: { 'x-oss-tagging-directive': 'REPLACE', 'x-oss-tagging': 'b=2' } } as never);
    expect(await tagsOf('tag-self')).toEqual({ b: '2' });
  });

  it('refuses an unknown directive and an invalid tag set, leaving the target alone', async () => {
    await client.put('tag-src2', Buffer.from('y'));
    const bad = await client
      .copy('tag-bad', 'tag-src2', { headers: { 'x-oss-tagging-directive': 'MOVE' } } as never)
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, code: 'InvalidArgument' });
    const tooMany = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&');
    const refused = await client
      .copy('tag-bad', 'tag-src2', { headers: { 'x-oss-tagging-directive': 'REPLACE', 'x-oss-tagging': tooMany } } as never)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, code: 'BadRequest' });
    await expect(client.head('tag-bad')).rejects.toMatchObject({ status: 404 });
  });
});
