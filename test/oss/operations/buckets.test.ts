import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

describe('bucket operations through ali-oss', () => {
  it('creates a bucket, lists it, reads its info, location and ACL', async () => {
    const name = uniqueBucket();
    const client = ossClient(emu);
    const put = await client.putBucket(name);
    expect(put.res.status).toBe(200);
    const list = (await client.listBuckets({})) as unknown as { buckets: Array<{ name: string }> };
    expect(list.buckets.map((b) => b.name)).toContain(name);
    const info = await client.getBucketInfo(name);
    expect(info.bucket.Name).toBe(name);
    expect(info.bucket.AccessControlList.Grant).toBe('private');
    const location = await client.getBucketLocation(name);
    expect(location.location).toBe('oss-cn-hangzhou');
    const acl = await client.getBucketACL(name);
    expect(acl.acl).toBe('private');
  });

  it('sets the ACL at creation and with PutBucketAcl', async () => {
    const name = uniqueBucket();
    const client = ossClient(emu);
    await client.putBucket(name, { acl: 'public-read' } as never);
    expect((await client.getBucketACL(name)).acl).toBe('public-read');
    await client.putBucketACL(name, 'public-read-write');
    expect((await client.getBucketACL(name)).acl).toBe('public-read-write');
  });

  it("answers the owner's repeated PutBucket with 200 and refuses one that would change the storage class or redundancy", async () => {
    const name = uniqueBucket();
    const client = ossClient(emu);
    await client.putBucket(name, { StorageClass: 'Archive' } as never);
    expect((await client.putBucket(name, { StorageClass: 'Archive' } as never)).res.status).toBe(200);
    expect((await client.putBucket(name)).res.status).toBe(200);
    await expect(client.putBucket(name, { StorageClass: 'IA' } as never)).rejects.toMatchObject({
      status: 409,
      code: 'BucketAlreadyExists',
      message: "Cannot modify existing bucket's storage class.",
    });
    await expect(client.putBucket(name, { StorageClass: 'Archive', DataRedundancyType: 'ZRS' } as never)).rejects.toMatchObject({
      status: 409,
      code: 'BucketAlreadyExists',
    });
    expect((await client.getBucketInfo(name)).bucket.StorageClass).toBe('Archive');
  });

  it('refuses an invalid name and an unknown ACL with OSS codes', async () => {
    const name = uniqueBucket();
    const client = ossClient(emu);
    await client.putBucket(name);
    const raw = await fetch(`${emu.endpoint}/Bad_Name`, { method: 'PUT' });
    expect(raw.status).toBe(403); // anonymous bucket creation is AccessDenied before the name is looked at
    expect(await raw.text()).toContain('<Code>AccessDenied</Code>');
    await expect(client.putBucketACL(name, 'world-writable' as never)).rejects.toMatchObject({ status: 400, code: 'InvalidArgument' });
  });

  it('deletes an empty bucket with 204 and refuses a non-empty one with BucketNotEmpty', async () => {
    const name = uniqueBucket();
    const client = ossClient(emu, name);
    await client.putBucket(name);
    await client.put('k', Buffer.from('x'));
    await expect(client.deleteBucket(name)).rejects.toMatchObject({ status: 409, code: 'BucketNotEmpty' });
    await client.delete('k');
    const deleted = (await client.deleteBucket(name)) as unknown as { res: { status: number } };
    expect(deleted.res.status).toBe(204);
    await expect(client.getBucketInfo(name)).rejects.toMatchObject({ status: 404, code: 'NoSuchBucket' });
  });

  it('answers an unknown bucket with NoSuchBucket, the bucket name and a 24-character request id', async () => {
    const client = ossClient(emu, 'no-such-bucket-here');
    const err = (await client.get('x').catch((e: unknown) => e)) as { status: number; code: string; requestId: string };
    expect(err).toMatchObject({ status: 404, code: 'NoSuchBucket' });
    expect(err.requestId).toMatch(/^[0-9A-F]{24}$/);
  });
});
