import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator } from '../../helpers/emulator.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${emu.endpoint}/-/init`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

const seed = {
  buckets: [
    {
      name: 'admin-seeded',
      acl: 'public-read',
      cors: [{ allowedOrigins: ['*'], allowedMethods: ['GET'] }],
      channels: [{ name: 'cam', fragDuration: 3, fragCount: 5 }],
      objects: [{ key: 'a.txt', content: 'A', contentType: 'text/plain' }],
    },
  ],
};

describe('POST /-/init', () => {
  it('applies a JSON seed and reports unchanged entries on a second call', async () => {
    const first = await post(seed);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      buckets: [{ name: 'admin-seeded', result: 'created' }],
      channels: [{ bucket: 'admin-seeded', name: 'cam', result: 'created' }],
      objects: [{ bucket: 'admin-seeded', key: 'a.txt', result: 'written' }],
    });
    const client = ossClient(emu, 'admin-seeded');
    expect((await client.getBucketACL('admin-seeded')).acl).toBe('public-read');
    expect((await client.getBucketCORS('admin-seeded')).rules).toHaveLength(1);
    expect(((await client.getChannel('cam')).data as unknown as { Target: { FragCount: string } }).Target.FragCount).toBe('5');
    expect(String((await client.get('a.txt')).content)).toBe('A');

    const second = await post(seed);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({
      buckets: [{ name: 'admin-seeded', result: 'unchanged' }],
      channels: [{ bucket: 'admin-seeded', name: 'cam', result: 'unchanged' }],
      objects: [{ bucket: 'admin-seeded', key: 'a.txt', result: 'unchanged' }],
    });

    const changed = await post({
      buckets: [{ ...seed.buckets[0], acl: 'private', channels: [{ name: 'cam', fragDuration: 3, fragCount: 6 }] }],
    });
    expect(await changed.json()).toMatchObject({ buckets: [{ result: 'updated' }], channels: [{ result: 'updated' }] });
    expect((await client.getBucketACL('admin-seeded')).acl).toBe('private');
  });

  it('refuses a bad entry with its OSS code and the entry named', async () => {
    const res = await post({ buckets: [{ name: 'Bad_Name' }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe('InvalidBucketName');
    expect(body.message).toMatch(/^buckets\[0\] \(Bad_Name\): PutBucket refused it/);
  });

  it('never reads a file it is named, and refuses form bodies', async () => {
    const res = await post({ buckets: [{ name: 'admin-files', objects: [{ key: 'p', file: '/etc/passwd' }] }] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/objects\[0\] \(p\): file is read only from an --init file/);
    expect(emu.state.bucket('admin-files')).toBeUndefined();
    const form = await post('buckets=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
  });
});
