import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { crc64Of } from '../../../src/store/crc64.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { errorOf, signedRequest } from '../../helpers/signed-request.js';
import { untyped } from '../../helpers/ali-oss-untyped.js';

let emu: Emulator;
let bucket: string;
let client: ReturnType<typeof ossClient>;
const headersOf = (res: { headers: object }) => res.headers as Record<string, string | undefined>;

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('append');
  client = ossClient(emu, bucket);
  await client.putBucket(bucket);
});
afterAll(() => emu.close());

describe('AppendObject', () => {
  it('keeps the first append’s metadata but takes a later append’s x-oss-object-acl (Go SDK TestAppendObject)', async () => {
    const append = (position: number, headers: Record<string, string>) =>
      signedRequest(emu, {
        method: 'POST',
        bucket,
        key: 'acl.log',
        query: [
          ['append', ''],
          ['position', String(position)],
        ],
        body: 'abc',
        ossHeaders: headers,
      });
    expect((await append(0, { 'x-oss-object-acl': 'public-read-write', 'x-oss-meta-my': 'first' })).status).toBe(200);
    expect((await client.getACL('acl.log')).acl).toBe('public-read-write');
    expect((await append(3, { 'x-oss-object-acl': 'public-read', 'x-oss-meta-my': 'second', 'x-oss-meta-mine': 'x' })).status).toBe(200);
    expect((await client.getACL('acl.log')).acl).toBe('public-read');
    const head = headersOf((await client.head('acl.log')).res);
    expect([head['x-oss-meta-my'], head['x-oss-meta-mine']]).toEqual(['first', undefined]);
    // Without the header the ACL stays as it is.
    expect((await append(6, {})).status).toBe(200);
    expect((await client.getACL('acl.log')).acl).toBe('public-read');
  });

  it('appends through ali-oss: next position, Appendable type, CRC64 carried across appends', async () => {
    const chunks = [randomBytes(1000), randomBytes(1), randomBytes(70_000)];
    let position = 0;
    for (const chunk of chunks) {
      const r = (await client.append('log.bin', chunk, { position: String(position) } as never)) as unknown as {
        nextAppendPosition: string;
        res: { status: number; headers: object };
      };
      expect(r.res.status).toBe(200);
      position += chunk.length;
      expect(r.nextAppendPosition).toBe(String(position));
      expect(headersOf(r.res)['x-oss-hash-crc64ecma']).toBe(crc64Of(Buffer.concat(chunks.slice(0, chunks.indexOf(chunk) + 1))));
    }
    const whole = Buffer.concat(chunks);
    const got = await client.get('log.bin');
    expect(Buffer.compare(got.content as Buffer, whole)).toBe(0);
    expect(headersOf(got.res)).toMatchObject({
      'x-oss-object-type': 'Appendable',
      'x-oss-next-append-position': String(whole.length),
      'x-oss-hash-crc64ecma': crc64Of(whole),
    });
    const range = await client.get('log.bin', { headers: { Range: 'bytes=990-1010' } });
    expect(Buffer.compare(range.content as Buffer, whole.subarray(990, 1011))).toBe(0);
  });

  it('answers PositionNotEqualToLength with x-oss-next-append-position, and leaves the object as it was', async () => {
    await client.append('pos.txt', Buffer.from('abc'));
    const wrong = await signedRequest(emu, {
      method: 'POST',
      bucket,
      key: 'pos.txt',
      query: [
        ['append', ''],
        ['position', '1'],
      ],
      body: 'zzz',
    });
    expect(errorOf(wrong)).toMatchObject({ status: 409, code: 'PositionNotEqualToLength' });
    expect(wrong.headers['x-oss-next-append-position']).toBe('3');
    const fresh = await signedRequest(emu, {
      method: 'POST',
      bucket,
      key: 'nothing-yet',
      query: [
        ['append', ''],
        ['position', '5'],
      ],
      body: 'x',
    });
    expect(errorOf(fresh)).toMatchObject({ status: 409, code: 'PositionNotEqualToLength' });
    expect(fresh.headers['x-oss-next-append-position']).toBe('0');
    expect(((await client.get('pos.txt')).content as Buffer).toString()).toBe('abc');
    const bad = await signedRequest(emu, {
      method: 'POST',
      bucket,
      key: 'pos.txt',
      query: [
        ['append', ''],
        ['position', '-1'],
      ],
      body: 'x',
    });
    expect(errorOf(bad)).toMatchObject({ status: 400, code: 'InvalidArgument' });
  });

  it('refuses to append to a Normal object (ObjectNotAppendable); a PutObject replaces an appendable one', async () => {
    await client.put('normal.txt', Buffer.from('normal'));
    await expect(client.append('normal.txt', Buffer.from('more'), { position: '6' } as never)).rejects.toMatchObject({
      status: 409,
      code: 'ObjectNotAppendable',
    });
    await client.append('was-appendable', Buffer.from('a'));
    await client.put('was-appendable', Buffer.from('now normal'));
    const head = await client.head('was-appendable');
    expect(headersOf(head.res)['x-oss-object-type']).toBe('Normal');
    expect(headersOf(head.res)['x-oss-next-append-position']).toBeUndefined();
  });

  it('serialises racing appends at one position: one wins, the other gets 409', async () => {
    await client.append('race', Buffer.from('0'));
    const attempt = (body: string) =>
      signedRequest(emu, {
        method: 'POST',
        bucket,
        key: 'race',
        query: [
          ['append', ''],
          ['position', '1'],
        ],
        body,
      });
    const results = await Promise.all([attempt('A'.repeat(50_000)), attempt('B'.repeat(50_000))]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const got = ((await client.get('race')).content as Buffer).toString();
    expect(got.length).toBe(50_001);
    expect(/^0(A+|B+)$/.test(got)).toBe(true);
  });

  it('keeps one file per append on disk and leaves none behind once the object is deleted', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'emu-append-files-'));
    const disk = await startTestEmulator({ inMemory: false, dataDir });
    try {
      const c = ossClient(disk, 'files');
      await c.putBucket('files');
      const files = () => readdirSync(join(dataDir, 'objects')).flatMap((shard) => readdirSync(join(dataDir, 'objects', shard)));
      let position = 0;
      for (const size of [10, 0, 20, 30]) {
        await c.append('a.log', randomBytes(size), { position: String(position) } as never);
        position += size;
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(files()).toHaveLength(3);
      expect(((await c.get('a.log')).content as Buffer).length).toBe(60);
      await c.delete('a.log');
      await new Promise((r) => setTimeout(r, 200));
      expect(files()).toHaveLength(0);
    } finally {
      await disk.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('AppendObject with x-oss-tagging (as oss2 sends it)', () => {
  const tagsOf = async (key: string) => (await untyped(client).getObjectTagging!(key)).tag as Record<string, string>;

  it('takes the tags on the append that creates the object and keeps them on later appends', async () => {
    const tagging = `key1=value1&${'a'.repeat(128)}=${'b'.repeat(256)}&${encodeURIComponent('+-/')}=${encodeURIComponent(':+:')}`;
    await client.append('tagged.bin', randomBytes(512), { headers: { 'x-oss-tagging': tagging } } as never);
    await client.append('tagged.bin', randomBytes(128), { position: '512' } as never);
    expect(await tagsOf('tagged.bin')).toEqual({ key1: 'value1', ['a'.repeat(128)]: 'b'.repeat(256), '+-/': ':+:' });
  });

  it('ignores x-oss-tagging on a later append, even a tag set it would refuse', async () => {
    const fifteen = Array.from({ length: 15 }, (_, i) => `key${i}=value${i}`).join('&');
    await client.append('later.bin', randomBytes(512));
    const r = await client.append('later.bin', randomBytes(128), { position: '512', headers: { 'x-oss-tagging': fifteen } } as never);
    expect(r.res.status).toBe(200);
    await client.append('later.bin', randomBytes(1), { position: '640', headers: { 'x-oss-tagging': 'k=v' } } as never);
    expect(await tagsOf('later.bin')).toEqual({});
  });

  it('refuses a tag set OSS refuses on the first append, creating nothing', async () => {
    const fifteen = Array.from({ length: 15 }, (_, i) => `key${i}=value${i}`).join('&');
    const err = await client
      .append('refused.bin', randomBytes(10), { headers: { 'x-oss-tagging': fifteen } } as never)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'BadRequest' });
    await expect(client.head('refused.bin')).rejects.toMatchObject({ status: 404 });
  });
});
