import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { untyped, type UntypedOss } from '../../helpers/ali-oss-untyped.js';
import { errorOf, signedRequest } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
let client: UntypedOss;

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('tags');
  client = untyped(ossClient(emu, bucket));
  await client.putBucket(bucket);
});
afterAll(() => emu.close());

const tagXml = (pairs: Array<[string, string]>) =>
  `<Tagging><TagSet>${pairs.map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('')}</TagSet></Tagging>`;

describe('object tagging', () => {
  it('puts, gets and deletes tags through ali-oss; Get/Head report x-oss-tagging-count', async () => {
    await client.put('tagged.ts', Buffer.from('x'));
    expect((await client.getObjectTagging('tagged.ts')).tag).toEqual({});
    await client.putObjectTagging('tagged.ts', { a: '1', 'long+-=._:/ key': 'v a/l', ['k'.repeat(128)]: 'v'.repeat(256) });
    expect((await client.getObjectTagging('tagged.ts')).tag).toEqual({
      a: '1',
      'long+-=._:/ key': 'v a/l',
      ['k'.repeat(128)]: 'v'.repeat(256),
    });
    const head = await client.head('tagged.ts');
    expect(head.res.headers['x-oss-tagging-count']).toBe('3');
    const raw = await signedRequest(emu, { method: 'GET', bucket, key: 'tagged.ts', query: [['tagging', '']] });
    expect(raw.text).toMatch(/<Tagging><TagSet><Tag><Key>a<\/Key><Value>1<\/Value><\/Tag>/);
    const del = await signedRequest(emu, { method: 'DELETE', bucket, key: 'tagged.ts', query: [['tagging', '']] });
    expect(del.status).toBe(204);
    expect((await client.getObjectTagging('tagged.ts')).tag).toEqual({});
    expect((await client.head('tagged.ts')).res.headers['x-oss-tagging-count']).toBeUndefined();
  });

  it('takes x-oss-tagging on PutObject (URL-encoded, as oss2 sends it) and replaces tags on overwrite', async () => {
    await client.put('hdr.ts', Buffer.from('x'), { headers: { 'x-oss-tagging': 'k1=v1&k2=v2&%20%2B%2F%20=%E4%B8%AD%E6%96%87' } });
    expect((await client.getObjectTagging('hdr.ts')).tag).toEqual({ k1: 'v1', k2: 'v2', ' +/ ': '中文' });
    await client.put('hdr.ts', Buffer.from('y'));
    expect((await client.getObjectTagging('hdr.ts')).tag).toEqual({});
  });

  it('refuses tag sets OSS refuses, leaving the object and its tags as they were', async () => {
    await client.put('limits.ts', Buffer.from('x'));
    await client.putObjectTagging('limits.ts', { keep: 'me' });
    const eleven = Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'] as [string, string]);
    const cases: Array<[string, string]> = [
      [tagXml(eleven), 'BadRequest'],
      [tagXml([['k'.repeat(129), 'v']]), 'InvalidTag'],
      [tagXml([['k', 'v'.repeat(257)]]), 'InvalidTag'],
      [tagXml([['%@abc', 'v']]), 'InvalidTag'],
      [tagXml([['', 'v']]), 'InvalidTag'],
      [
        tagXml([
          ['dup', '1'],
          ['dup', '2'],
        ]),
        'InvalidTag',
      ],
      ['<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>', 'MalformedXML'],
    ];
    for (const [body, code] of cases) {
      const res = await signedRequest(emu, {
        method: 'PUT',
        bucket,
        key: 'limits.ts',
        query: [['tagging', '']],
        body,
        contentType: 'application/xml',
      });
      expect({ status: res.status, code: errorOf(res).code }).toEqual({ status: 400, code });
    }
    expect((await client.getObjectTagging('limits.ts')).tag).toEqual({ keep: 'me' });
    const header = (await client
      .put('hdr-limits.ts', Buffer.from('x'), { headers: { 'x-oss-tagging': eleven.map(([k, v]) => `${k}=${v}`).join('&') } })
      .catch((e: unknown) => e)) as { status: number; code: string };
    expect(header).toMatchObject({ status: 400, code: 'BadRequest' });
    expect(emu.state.object(bucket, 'hdr-limits.ts')).toBeUndefined();
    const emptyValue = await signedRequest(emu, {
      method: 'PUT',
      bucket,
      key: 'limits.ts',
      query: [['tagging', '']],
      body: tagXml([['k', '']]),
      contentType: 'application/xml',
    });
    expect(emptyValue.status).toBe(200);
  });

  it('is NoSuchKey for a missing object', async () => {
    const res = await signedRequest(emu, { method: 'GET', bucket, key: 'missing', query: [['tagging', '']] });
    expect(errorOf(res)).toMatchObject({ status: 404, code: 'NoSuchKey' });
  });
});

describe('bucket tagging (stored and returned)', () => {
  it('puts, gets and deletes the bucket tags through ali-oss, with the bucket limits (20 tags)', async () => {
    expect((await client.getBucketTags(bucket)).tag).toEqual({});
    await client.putBucketTags(bucket, { team: 'live', env: 'ci' });
    expect((await client.getBucketTags(bucket)).tag).toEqual({ team: 'live', env: 'ci' });
    const tooMany = tagXml(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'] as [string, string]));
    expect(
      errorOf(await signedRequest(emu, { method: 'PUT', bucket, query: [['tagging', '']], body: tooMany, contentType: 'application/xml' }))
        .code,
    ).toBe('BadRequest');
    // Bucket tags take characters object tags refuse (oss2 test_bucket_tagging puts '%@abc' and '++123%').
    await client.putBucketTags(bucket, { '%@abc': 'abc', '123++': '++123%' });
    expect((await client.getBucketTags(bucket)).tag).toEqual({ '%@abc': 'abc', '123++': '++123%' });
    const objectTag = await signedRequest(emu, {
      method: 'PUT',
      bucket,
      key: 'tag-chars',
      body: 'x',
      ossHeaders: { 'x-oss-tagging': `${encodeURIComponent('%@abc')}=abc` },
    });
    expect(errorOf(objectTag).code).toBe('InvalidTag');
    // ?tagging=k1,k2 deletes only those keys (oss2 test_bucket_tagging_with_specify_label).
    await client.putBucketTags(bucket, { '%@abc': 'abc', '123++': '++123%', test: 'abc' });
    const some = await signedRequest(emu, { method: 'DELETE', bucket, query: [['tagging', '%@abc,test']] });
    expect(some.status).toBe(204);
    expect((await client.getBucketTags(bucket)).tag).toEqual({ '123++': '++123%' });
    const del = await client.deleteBucketTags(bucket);
    expect(del.status).toBe(204);
    expect((await client.getBucketTags(bucket)).tag).toEqual({});
  });
});
